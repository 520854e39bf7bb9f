/**
 * The rules of the Runframe v1 contract, pure and shared by every layer (api <- mcp, emulator
 * <- extension): lists, limits and defaults, identifier rules, ordering and status transitions.
 */
export * from './contract';
export * from './identifiers';
export * from './order';
export * from './workspaceServices';
