'use strict';
const http = require('node:http');
const express = require('express');
const pg = require('pg');
const OpenAI = require('openai');
const { invokeAgent, executeTool } = require('@va/instrumentation-agent');
const { createVoiceTracker } = require('@va/instrumentation-voice');
const { runTraffic } = require('./traffic.cjs');

runTraffic({ http, express, pg, OpenAI, invokeAgent, executeTool, createVoiceTracker }).then(
  (summary) => {
    console.log(`ready ${JSON.stringify(summary)}`);
    // Kept alive until the test has scraped and sends SIGTERM.
    setInterval(() => {}, 1000);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
