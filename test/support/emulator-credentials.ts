/**
 * The Lambda's AWS clients take credentials from the default provider chain, which would stall on
 * the EC2 metadata endpoint on a machine without credentials; s3rver accepts only its own key pair
 * (kinesalite accepts any). Tests that run the real adapters against the emulators call this first.
 */
export function useEmulatorCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
