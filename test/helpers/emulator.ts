// Typed access to the JavaScript provider emulator for the jest tests.
import { DEFAULT_TIME_SCALE } from './context';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require('../emulator/server');

export interface EmulatorTask {
	provider: string;
	id: string | number;
	creates: number;
	reads: number;
	prompt?: string;
}

export interface Emulator {
	url: string;
	config: {
		taskMs: number;
		/** How many times faster than real time tasks progress, rate windows run and callbacks come. */
		timeScale?: number;
		faults?: null | Partial<Record<'create' | 'read' | 'file', string[]>>;
		slowMs?: number;
		nalitekWindowMs?: number;
		nalitekQuota?: number;
		nalitekPlan?: string;
		nalitekPages?: 'ignore' | number;
		nalitekPageSize?: number;
		nalitekInline?: boolean;
		nalitekSignature?: string;
		rateLimit: null | { limit: number; windowMs: number; retryAfterSec?: number };
		keys: Record<string, string>;
	};
	stats: {
		requests: number;
		throttled: number;
		downloads?: number;
		nalitek429?: number;
		batches?: number;
		lastBatch?: { total: number; parallel?: boolean; priority?: string; webhookUrl?: string };
		nalitekBans?: Array<{ userId: number; reason: string | null }>;
		byRoute: Record<string, number>;
		faults: Record<string, number>;
		tasks: Record<string, EmulatorTask>;
		callbacks?: Array<{ url: string; payload: unknown; status: unknown }>;
	};
	start(port?: number): Promise<string>;
	stop(): Promise<void>;
}

/**
 * The emulator for jest: on the node tests' shortened time (DEFAULT_TIME_SCALE) unless a test
 * asks otherwise, so a task of `taskMs` takes as long for the node as it would in real time.
 */
export const createEmulator = (options: Partial<Emulator['config']> = {}): Emulator =>
	server.createEmulator({ timeScale: DEFAULT_TIME_SCALE, ...options });
export const readPngPrompt: (buffer: Buffer) => string | undefined = server.readPngPrompt;
export const makePng: (seed: string, text?: string, size?: number) => Buffer = server.makePng;
export const pictureSize: (buffer: Buffer) => { width: number; height: number } | undefined =
	server.pictureSize;
export const picturePrompt: (buffer: Buffer) => string | undefined = server.picturePrompt;
