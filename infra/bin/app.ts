/** `cdk synth` entry (cdk.json): the example app, RBAC file included. */
import { synthExampleApp } from '../exampleApp.js';

synthExampleApp();
