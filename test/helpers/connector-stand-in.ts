/** The loopback Bot Connector stand-in lives in bot/local (the `ask` command uses it too). */
export { startLocalConnector as startConnectorStandIn, teamsCardAction, teamsGroupCardAction, teamsGroupMessage, teamsInstall, teamsMessage, type SentActivity } from '../../bot/local/local-connector.js';
