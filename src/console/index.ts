/**
 * The console's pure public surface: where it is served and the rules its pages are served
 * under. The Nest wiring (ConsoleModule) is reached through console.module.ts.
 */
export { consolePath, consoleContentSecurityPolicy } from './api/console-policy.js';
