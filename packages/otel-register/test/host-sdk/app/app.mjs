import http from 'node:http';
import { executeTool, invokeAgent } from '@va/instrumentation-agent';
import { createVoiceTracker } from '@va/instrumentation-voice';
import express from 'express';
import OpenAI from 'openai';
import pg from 'pg';
import traffic from './traffic.cjs';

try {
  const summary = await traffic.runTraffic({
    http,
    express,
    pg,
    OpenAI,
    invokeAgent,
    executeTool,
    createVoiceTracker,
  });
  console.log(`ready ${JSON.stringify(summary)}`);
  setInterval(() => {}, 1000);
} catch (error) {
  console.error(error);
  process.exit(1);
}
