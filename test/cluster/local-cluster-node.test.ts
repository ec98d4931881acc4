import { LocalClusterNode } from '../../src/cluster/local-cluster-node.js';
import { localSessionLeases } from '../../src/interview/session-leases.js';
import { runClusterNodeContract } from './cluster-node-contract.js';
import { runSessionLeasesContract } from './session-leases-contract.js';

// one process: the same contracts the Redis implementations pass (test/cluster/redis-cluster-node.test.ts)
runClusterNodeContract('LocalClusterNode', async (nodeId, local) => new LocalClusterNode(nodeId, local));
runSessionLeasesContract('localSessionLeases', async () => localSessionLeases, { exclusive: false });
