import express from 'express';

/*
 * The webhooks benchmark's baseline: the least a Node webhook endpoint can do, in its own process like the real
 * one. Express parses the same form body and answers 200; no signature, no Temporal.
 */
const app = express();
app.post('/twilio/conversations', express.urlencoded({ extended: false }), (_req, res) => {
  res.status(200).end();
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare endpoint ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
