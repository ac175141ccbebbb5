import { App } from 'aws-cdk-lib';
import { addCollectorStack } from './collector-app';

const app = new App();
addCollectorStack(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
app.synth();
