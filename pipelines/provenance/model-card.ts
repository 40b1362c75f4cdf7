/**
 * The model card of a registered model version (the model package model card schema: no
 * model_package_details; model_overview holds model_creator and model_artifact): where the model
 * came from and how it scored, for SageMaker Model Registry and whoever reviews the approval.
 */
export interface ModelCardInput {
  readonly pipelineName: string;
  readonly artifactUri: string;
  readonly trainingJobArn: string;
  readonly image: string;
  readonly hyperparameters: { readonly [name: string]: string };
  readonly trainingMetrics: ReadonlyArray<{ readonly name: string; readonly value: number }>;
  readonly evaluation: { readonly [group: string]: { readonly [metric: string]: { readonly value: number } } };
  readonly manifestUri: string;
  readonly manifestSha256: string;
  readonly sourceRevision: string;
  readonly artifactSha256: string;
  readonly signingKeyArn: string;
}

/** The card's content, as the JSON text CreateModelPackage takes (`ModelCard.ModelCardContent`). */
export function modelCardContent(c: ModelCardInput): string {
  const metricGroups = Object.entries(c.evaluation)
    .filter(([, metrics]) => metrics && typeof metrics === 'object')
    .map(([group, metrics]) => ({
      name: group,
      metric_data: Object.entries(metrics)
        .filter(([, m]) => typeof m?.value === 'number' && Number.isFinite(m.value))
        .map(([name, m]) => ({ name, type: 'number', value: m.value })),
    }))
    .filter((g) => g.metric_data.length > 0);
  return JSON.stringify({
    model_overview: { model_creator: `aidlc-pipeline (${c.pipelineName})`, model_artifact: [c.artifactUri] },
    training_details: {
      training_job_details: {
        training_arn: c.trainingJobArn,
        training_datasets: [c.manifestUri],
        training_environment: { container_image: [c.image] },
        hyper_parameters: Object.keys(c.hyperparameters).sort().map((name) => ({ name, value: c.hyperparameters[name] })),
        training_metrics: c.trainingMetrics.filter((m) => Number.isFinite(m.value)).map((m) => ({ name: m.name, value: m.value })),
      },
    },
    evaluation_details: [{ name: 'holdout', datasets: [c.manifestUri], metric_groups: metricGroups }],
    additional_information: {
      custom_details: {
        source_revision: c.sourceRevision,
        dataset_manifest_sha256: c.manifestSha256,
        artifact_sha256: c.artifactSha256,
        signing_key_arn: c.signingKeyArn,
      },
    },
  });
}
