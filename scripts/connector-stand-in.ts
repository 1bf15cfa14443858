/**
 * The loopback Bot Connector stand-in as a process of its own (benchmarks):
 * prints `connector on <url>`, and on SIGTERM how many activities carried a
 * card. Microsoft's connector is a separate service; running the stand-in
 * inside a busy load generator would charge the generator's delays to the bot.
 */
import { startLocalConnector } from '../bot/local/local-connector.js';

const connector = await startLocalConnector({ keep: false });
console.log(`connector on ${connector.url}`);
process.once('SIGTERM', async () => {
  console.log(`received ${connector.received} activities, ${connector.cards} with a card`);
  await connector.close();
  process.exit(0);
});
