/**
 * Keys of the provenance a registered model package carries in its CustomerMetadataProperties
 * (at most 50 keys, values up to 256 characters): the training pipeline's Register step writes
 * them, `aidlc lineage` and `aidlc model verify` read them. One table, so writer and readers
 * cannot drift apart.
 */
export const MODEL_METADATA_KEYS = {
  sourceRevision: 'source_revision',
  pipelineExecution: 'pipeline_execution',
  manifestUri: 'dataset_manifest_uri',
  manifestSha256: 'dataset_manifest_sha256',
  trainingJobArn: 'training_job_arn',
  trainingImage: 'training_image',
  hyperparametersSha256: 'hyperparameters_sha256',
  metricName: 'evaluation_metric',
  metricValue: 'evaluation_value',
  artifactSha256: 'artifact_sha256',
  signature: 'artifact_signature',
  signingKeyArn: 'signing_key_arn',
  signingAlgorithm: 'signing_algorithm',
} as const;
