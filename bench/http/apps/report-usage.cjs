// The bench asks each server for its memory and CPU time over the IPC channel it was started with.
if (process.send) {
  process.on('message', (message) => {
    if (message?.type === 'usage')
      process.send({ usage: { memory: process.memoryUsage(), cpu: process.cpuUsage() } });
  });
  // A bench that dies must not leave its servers behind.
  process.once('disconnect', () => process.exit(0));
}
