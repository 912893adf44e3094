import type { INodeProperties } from 'n8n-workflow';

/**
 * Every provider credential ends with this switch: result files are fetched only from public
 * addresses, or from the provider's own host (its Base URL), unless the provider lives inside the
 * user's network.
 */
export const allowPrivateNetworkProperty: INodeProperties = {
	displayName: 'Allow Private Network Downloads',
	name: 'allowPrivateNetwork',
	type: 'boolean',
	default: false,
	description:
		"Whether result files may be fetched from private, loopback or link-local addresses (10.x, 192.168.x, 127.x, 169.254.x …) other than the Base URL's host. Leave off unless you run the provider, or the host of its files, inside your own network: then a link in a callback or an answer cannot make n8n fetch from inside it.",
};
