/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The engine waits on the test file's virtual clock (test/helpers/setup.ts).
	setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
	transform: {
		// Types are checked once by `npm run typecheck`; here files are only transpiled
		// (tsconfig.test.json sets isolatedModules, which ts-jest reads as "transpile only").
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// The tests wait on sockets more than on the CPU: two workers also on a two-core machine.
	maxWorkers: 2,
	// Only for a test that hangs: a test's own time is virtual, but drawing and encoding its
	// pictures is real work, and the Nalitek chain (six pictures up to 1024×1024) took over 30 s
	// with both cores busy running n8n.
	testTimeout: 120_000,
};
