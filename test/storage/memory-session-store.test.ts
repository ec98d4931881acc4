import { MemorySessionStore } from '../../src/storage/memory/memory-session-store.js';
import { runSessionStoreContract } from './session-store-contract.js';

// nothing outlives the process, so there is no reopen to test
runSessionStoreContract('memory', () => {
  const store = new MemorySessionStore();
  return Promise.resolve({ store, cleanup: () => store.close() });
});
