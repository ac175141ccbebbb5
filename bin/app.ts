import { App } from 'aws-cdk-lib';
import { addCollectorStack } from './collector-app';
import { ContextError } from './context';

const app = new App();
try {
  addCollectorStack(app, {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  });
} catch (error) {
  // A bad context value is the user's to fix: say which key and why, without a stack trace.
  if (!(error instanceof ContextError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
