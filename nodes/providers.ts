import { defApiCallback, defApiClient, defApiTasks } from './DefApi/adapter';
import { genApiCallback, genApiClient, genApiTasks } from './GenApi/adapter';
import { gptunnelClient } from './Gptunnel/adapter';
import { miniMaxCallback, miniMaxClient, miniMaxTasks } from './MiniMax/adapter';
import { generateTasks as nalitekTasks, nalitekCallback, nalitekClient } from './Nalitek/adapter';
import type { CallbackProvider, ProviderClient } from './shared/types';

/** Every provider of the package, by name. */
export const PROVIDERS: ProviderClient[] = [
	defApiClient,
	genApiClient,
	gptunnelClient,
	miniMaxClient,
	nalitekClient,
];

/**
 * The providers that call back, by name, as the AI Media Trigger offers them. Each is declared in
 * its own folder (its task protocol and callback contract); a new provider that calls back is one
 * line here, and one in PROVIDERS.
 */
export const CALLBACK_PROVIDERS: CallbackProvider[] = [
	{ tasks: defApiTasks, callback: defApiCallback },
	{ tasks: genApiTasks, callback: genApiCallback },
	{ tasks: miniMaxTasks, callback: miniMaxCallback },
	{ tasks: nalitekTasks, callback: nalitekCallback },
];
