// The Nalitek node as the node tests run it: Image → Generate by default, polled every second.
import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import { Nalitek } from '../../nodes/Nalitek/Nalitek.node';
import { generateParameters, nodeRunner } from './context';

/** A run of the Nalitek node against `baseUrl()` with `apiKey`. */
export const nalitekRunner = (baseUrl: () => string, apiKey: string) =>
	nodeRunner({
		node: () => new Nalitek(),
		credentialType: () => new NalitekApi(),
		baseUrl,
		apiKey,
		defaults: generateParameters({}),
	});
