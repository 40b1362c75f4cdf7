/** The frameworks the report maps to. */
export type Framework = 'GDPR' | 'HIPAA' | 'SOC 2' | 'PCI DSS';

export const FRAMEWORKS: readonly Framework[] = ['GDPR', 'HIPAA', 'SOC 2', 'PCI DSS'];

/** One requirement of a framework, by its public id and a short name. */
export interface Requirement {
  readonly framework: Framework;
  /** GDPR article, HIPAA Security Rule section, SOC 2 criterion, PCI DSS v3.2.1 requirement. */
  readonly id: string;
  readonly name: string;
}

export type ControlId =
  | 'encryption-at-rest' | 'encryption-in-transit' | 'access-auditing' | 'data-lineage' | 'model-versioning'
  | 'change-management' | 'least-privilege' | 'retention' | 'backup' | 'incident-response' | 'model-monitoring'
  | 'network-isolation';

/** A control the report looks for, what it means here, and what it answers in each framework. */
export interface Control {
  readonly id: ControlId;
  readonly title: string;
  /** What the control asks of this product, in one sentence. */
  readonly objective: string;
  readonly requirements: readonly Requirement[];
}

const gdpr = (id: string, name: string): Requirement => ({ framework: 'GDPR', id, name });
const hipaa = (id: string, name: string): Requirement => ({ framework: 'HIPAA', id, name });
const soc2 = (id: string, name: string): Requirement => ({ framework: 'SOC 2', id, name });
const pci = (id: string, name: string): Requirement => ({ framework: 'PCI DSS', id, name });

/**
 * The controls and their mapping to framework requirements. PCI DSS ids use the v3.2.1 numbering
 * (the version of the PCI DSS cdk-nag pack that runs at synth); HIPAA ids are Security Rule
 * sections of 45 CFR Part 164; SOC 2 ids are the 2017 Trust Services Criteria.
 */
export const CONTROLS: readonly Control[] = [
  {
    id: 'encryption-at-rest',
    title: 'Encryption at rest',
    objective: 'Datasets, model artifacts, job volumes, logs and messages are stored encrypted, with keys the account controls and rotates.',
    requirements: [
      gdpr('Art. 32(1)(a)', 'Encryption of personal data'),
      hipaa('164.312(a)(2)(iv)', 'Encryption and decryption of ePHI'),
      soc2('CC6.1', 'Logical access security over protected information assets'),
      pci('3.4', 'Render stored account data unreadable'),
    ],
  },
  {
    id: 'encryption-in-transit',
    title: 'Encryption in transit',
    objective: 'Requests to storage and messaging are refused without TLS, and traffic between training containers is encrypted.',
    requirements: [
      gdpr('Art. 32(1)(a)', 'Encryption of personal data'),
      hipaa('164.312(e)(2)(ii)', 'Transmission security: encryption'),
      soc2('CC6.7', 'Restricts and protects information in transmission'),
      pci('4.1', 'Strong cryptography for transmission over open, public networks'),
    ],
  },
  {
    id: 'access-auditing',
    title: 'Access auditing',
    objective: 'Reads and writes of data and artifacts leave records that say who did what and when.',
    requirements: [
      gdpr('Art. 5(2)', 'Accountability: being able to demonstrate compliance'),
      hipaa('164.312(b)', 'Audit controls'),
      soc2('CC7.2', 'Monitors system components for anomalies'),
      pci('10.2', 'Automated audit trails for system events'),
    ],
  },
  {
    id: 'data-lineage',
    title: 'Data lineage',
    objective: 'Each model version can be traced to the exact dataset (a manifest of object versions and hashes), the data contract and the commit that produced it, and its artifact is signed.',
    requirements: [
      gdpr('Art. 30', 'Records of processing activities'),
      hipaa('164.312(c)(1)', 'Integrity of ePHI'),
      soc2('CC2.1', 'Obtains and uses relevant, quality information'),
      pci('1.1.3', 'Current diagram of cardholder data flows'),
    ],
  },
  {
    id: 'model-versioning',
    title: 'Model versioning',
    objective: 'Every trained model is registered as a numbered version with its metrics and an approval status.',
    requirements: [
      gdpr('Art. 5(2)', 'Accountability: being able to demonstrate compliance'),
      soc2('CC8.1', 'Changes are authorized, tested, approved and documented'),
      pci('6.4.5.4', 'Back-out procedures for changes'),
    ],
  },
  {
    id: 'change-management',
    title: 'Change management',
    objective: 'Changes reach production only through the pipeline: from source control, through checks and approvals, rolled out with rollback.',
    requirements: [
      gdpr('Art. 25(1)', 'Data protection by design'),
      hipaa('164.308(a)(8)', 'Evaluation after environmental or operational changes'),
      soc2('CC8.1', 'Changes are authorized, tested, approved and documented'),
      pci('6.4.5', 'Change control procedures'),
    ],
  },
  {
    id: 'least-privilege',
    title: 'Least privilege',
    objective: 'Every role may call only the actions it needs on only the resources it needs; CI reaches AWS through short-lived OIDC credentials.',
    requirements: [
      gdpr('Art. 25(2)', 'Data protection by default, including accessibility'),
      hipaa('164.312(a)(1)', 'Access control'),
      soc2('CC6.3', 'Authorizes and removes access by role, least privilege'),
      pci('7.1.2', 'Restrict access to the least privileges necessary'),
    ],
  },
  {
    id: 'retention',
    title: 'Retention',
    objective: 'Data, captures and logs are kept as long as needed and then moved to archive or deleted automatically.',
    requirements: [
      gdpr('Art. 5(1)(e)', 'Storage limitation'),
      hipaa('164.316(b)(2)(i)', 'Retention of required documentation'),
      soc2('C1.2', 'Disposes of confidential information'),
      pci('3.1', 'Data retention and disposal'),
      pci('10.7', 'Retain audit trail history for at least one year'),
    ],
  },
  {
    id: 'backup',
    title: 'Backup and recovery',
    objective: 'Overwritten or deleted objects can be recovered, and stored data survives the deletion of a stack.',
    requirements: [
      gdpr('Art. 32(1)(c)', 'Restore availability and access in a timely manner'),
      hipaa('164.308(a)(7)(ii)(A)', 'Data backup plan'),
      soc2('A1.2', 'Data backup processes and recovery infrastructure'),
      pci('12.10.1', 'Incident response plan covering business recovery and data backup'),
    ],
  },
  {
    id: 'incident-response',
    title: 'Incident response',
    objective: 'Failures and degradations raise alarms that notify people and roll deployments back without waiting for them.',
    requirements: [
      gdpr('Art. 33', 'Notification of a personal data breach'),
      hipaa('164.308(a)(6)(ii)', 'Security incident response and reporting'),
      soc2('CC7.4', 'Responds to identified security incidents'),
      pci('12.10', 'Implement an incident response plan'),
    ],
  },
  {
    id: 'model-monitoring',
    title: 'Model monitoring',
    objective: 'Live inputs and outputs are captured and compared with the training baseline on a schedule, with drift raising an alarm.',
    requirements: [
      gdpr('Art. 5(1)(d)', 'Accuracy'),
      hipaa('164.308(a)(1)(ii)(D)', 'Information system activity review'),
      soc2('CC7.2', 'Monitors system components for anomalies'),
      pci('10.6', 'Review logs and security events'),
    ],
  },
  {
    id: 'network-isolation',
    title: 'Network isolation',
    objective: 'Training, serving and data functions run in private subnets with no route to the internet, reach AWS through VPC endpoints, and the data buckets refuse reads from outside that network.',
    requirements: [
      gdpr('Art. 32(1)(b)', 'Ongoing confidentiality and integrity of processing systems'),
      hipaa('164.312(e)(1)', 'Transmission security'),
      soc2('CC6.6', 'Logical access security measures against threats from outside system boundaries'),
      pci('1.3', 'Prohibit direct public access between the internet and the cardholder data environment'),
    ],
  },
];
