import { defApiCallback, defApiTasks } from './DefApi/adapter';
import { genApiCallback, genApiTasks } from './GenApi/adapter';
import { miniMaxCallback, miniMaxTasks } from './MiniMax/adapter';
import { generateTasks as nalitekTasks, nalitekCallback } from './Nalitek/adapter';
import type { CallbackProvider } from './shared/types';

/**
 * The providers that call back, as the AI Media Trigger offers them. Each is declared in its own
 * folder (its task protocol and callback contract); a new provider that calls back is one line here.
 */
export const CALLBACK_PROVIDERS: CallbackProvider[] = [
	{ tasks: defApiTasks, callback: defApiCallback },
	{ tasks: genApiTasks, callback: genApiCallback },
	{ tasks: miniMaxTasks, callback: miniMaxCallback },
	{ tasks: nalitekTasks, callback: nalitekCallback },
];
