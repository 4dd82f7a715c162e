/**
 * The vitest settings every project shares: tests run on TypeScript sources through the
 * `@asyncdb/source` export condition, so no package has to be built before it is tested.
 */
export declare function sharedVitestConfig(options?: {
    readonly testTimeout?: number;
    readonly globalSetup?: string[];
}): import("vite").UserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map