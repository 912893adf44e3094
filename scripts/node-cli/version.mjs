/** The version of @n8n/node-cli (n8n's lint for verified community nodes) this repository uses. */
export const NODE_CLI_VERSION = '0.48.3';
