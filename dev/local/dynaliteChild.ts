/**
 * dynalite (with TransactWriteItems, dynamoTransactions.ts) in a process of its own, for benchmarks:
 * its CPU then does not share the caller's event loop. Prints its port once it listens.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addTransactWriteItems } from './dynamoTransactions.js';

const dynalite = createRequire(import.meta.url)('dynalite') as (options: { readonly createTableMs?: number }) => Server;
const server = dynalite({ createTableMs: 0 });
addTransactWriteItems(server);
server.listen(0, '127.0.0.1', () => console.log(String((server.address() as AddressInfo).port)));
