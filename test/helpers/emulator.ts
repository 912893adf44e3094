// Typed access to the JavaScript provider emulator for the jest tests.
import { clock } from './clock';

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
		faults?: null | Partial<Record<'create' | 'read' | 'file', string[]>>;
		slowMs?: number;
		nalitekWindowMs?: number;
		nalitekQuota?: number;
		nalitekPlan?: string;
		nalitekPages?: 'ignore' | number;
		nalitekPageSize?: number;
		nalitekInline?: boolean;
		nalitekSignature?: string;
		nalitekMinSide?: number;
		nalitekLoraField?: 'lora_ids' | 'lora_id';
		nalitekHistory?: number;
		nalitekWebhookShape?: 'error' | 'nourl';
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
 * The emulator for jest, on the test file's virtual clock: a task of `taskMs` takes that long for
 * the node, however long the machine takes.
 */
export const createEmulator = (
	options: Partial<Emulator['config']> & { providerModules?: unknown[] } = {},
): Emulator => server.createEmulator({ clock, ...options });
export const readPngPrompt: (buffer: Buffer) => string | undefined = server.readPngPrompt;
export const makePng: (seed: string, text?: string, size?: number) => Buffer = server.makePng;
export const pictureSize: (buffer: Buffer) => { width: number; height: number } | undefined =
	server.pictureSize;
export const picturePrompt: (buffer: Buffer) => string | undefined = server.picturePrompt;
type Pixels = { width: number; height: number; rgb: Buffer };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pictures = require('../emulator/pictures');
/** The pixels of a PNG or JPEG (undefined for other formats). */
export const decodePicture: (buffer: Buffer) => Pixels | undefined = pictures.decodePicture;
/** A picture resized (bilinear). */
export const resizePicture: (picture: Pixels, width: number, height: number) => Pixels =
	pictures.resizePicture;
