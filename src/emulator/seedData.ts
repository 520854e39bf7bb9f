/**
 * The demo organisation's data tables: teams, people, services, the 40 incident scenarios and
 * the timeline notes they draw from. seed.ts turns them into state (ids, times, timelines).
 */
import type { Severity } from '../api/types';

export const TEAMS: [string, string][] = [
  ['Platform', 'Kubernetes, the API gateway and observability'],
  ['Payments', 'Checkout, the payments ledger and billing'],
  ['Identity', 'Authentication, SSO and account security'],
  ['Data', 'Search, the data warehouse and reporting'],
  ['Mobile', 'iOS and Android apps and their backend-for-frontend'],
];

// [name, team, title, active]
export const USERS: [string, string, string, boolean][] = [
  ['Sam Rivera', 'Platform', 'SRE', true],
  ['Priya Shah', 'Platform', 'Staff SRE', true],
  ['Jonas Becker', 'Platform', 'Platform Engineer', true],
  ['Mei Lin', 'Platform', 'Platform Engineer', true],
  ['Grace Liu', 'Platform', 'Engineering Manager', true],
  ['Carlos Mendes', 'Payments', 'Backend Engineer', true],
  ['Aisha Okafor', 'Payments', 'Senior Backend Engineer', true],
  ['Tom Hughes', 'Payments', 'Backend Engineer', true],
  ['Lena Fischer', 'Payments', 'Engineering Manager', true],
  ['Raj Patel', 'Identity', 'Security Engineer', true],
  ['Emma Novak', 'Identity', 'Backend Engineer', true],
  ['Diego Alvarez', 'Identity', 'Backend Engineer', false],
  ['Hana Sato', 'Data', 'Data Engineer', true],
  ['Marcus Reed', 'Data', 'Senior Data Engineer', true],
  ['Olivia Grant', 'Data', 'Analytics Engineer', true],
  ['Yusuf Demir', 'Data', 'Data Engineer', false],
  ['Chloe Martin', 'Mobile', 'Mobile Engineer', true],
  ['Ethan Brooks', 'Mobile', 'Backend Engineer', true],
  ['Sofia Rossi', 'Mobile', 'Senior Mobile Engineer', true],
  ['Noah Kim', 'Mobile', 'Engineering Manager', true],
];

// [name, team, description]
export const SERVICES: [string, string, string][] = [
  ['API Gateway', 'Platform', 'Edge routing, TLS termination and rate limiting for all public APIs'],
  ['Kubernetes Platform', 'Platform', 'Production clusters in eu-west-1 and us-east-1'],
  ['Observability Stack', 'Platform', 'Metrics, logs and traces pipeline'],
  ['Checkout API', 'Payments', 'Cart checkout and order placement'],
  ['Payments Ledger', 'Payments', 'Double-entry ledger for captured payments'],
  ['Billing Webhooks', 'Payments', 'Inbound payment-provider webhooks'],
  ['Auth Service', 'Identity', 'Login, sessions and token issuance'],
  ['SSO Connector', 'Identity', 'SAML and OIDC connections for enterprise customers'],
  ['Search Indexer', 'Data', 'Streams catalogue changes into the search cluster'],
  ['Data Warehouse ETL', 'Data', 'Nightly and hourly loads into the warehouse'],
  ['Legacy Reports', 'Data', 'Old PDF reporting service, scheduled for retirement'],
  ['Mobile BFF', 'Mobile', 'Backend-for-frontend serving the mobile apps'],
  ['Mobile Push', 'Mobile', 'Push notification fan-out to APNs and FCM'],
];

export type Scenario = [title: string, severity: Severity, status: string, services: string[], description: string];

// 12 open (4 new, 4 investigating, 2 fixing, 2 monitoring), 10 resolved, 18 closed.
export const SCENARIOS: Scenario[] = [
  ['Checkout API p99 latency above 4 s', 'SEV1', 'new', ['Checkout API'], 'p99 latency on POST /checkout climbed from 600 ms to 4.2 s after 14:05 UTC. Error rate still normal.'],
  ['Elevated 5xx on API Gateway in eu-west-1', 'SEV0', 'new', ['API Gateway'], '5xx rate at 12% for eu-west-1 edge; customers report failed page loads.'],
  ['Search results stale for 40 minutes', 'SEV3', 'new', ['Search Indexer'], 'Indexer consumer lag is growing; new products not searchable.'],
  ['Push notifications delayed on Android', 'SEV4', 'new', ['Mobile Push'], 'FCM fan-out queue backlog around 20k messages.'],
  ['Payment captures failing for 3-D Secure cards', 'SEV1', 'investigating', ['Payments Ledger', 'Checkout API'], 'Card captures with 3DS challenge return provider error 402; about 8% of checkouts affected.'],
  ['SSO logins failing for two enterprise tenants', 'SEV2', 'investigating', ['SSO Connector', 'Auth Service'], 'SAML assertions rejected with clock-skew errors for two tenants.'],
  ['Warehouse hourly load behind by 3 hours', 'SEV3', 'investigating', ['Data Warehouse ETL'], 'Hourly ETL jobs are queueing; dashboards show stale revenue figures.'],
  ['Mobile BFF memory climbing on every pod', 'SEV2', 'investigating', ['Mobile BFF'], 'RSS grows ~200 MB/hour since the 3.14 deploy; pods restart on OOM.'],
  ['Billing webhooks rejected with signature errors', 'SEV2', 'fixing', ['Billing Webhooks'], 'Provider rotated its signing secret; 30% of webhooks fail verification.'],
  ['Node pool autoscaler stuck in us-east-1', 'SEV3', 'fixing', ['Kubernetes Platform'], 'Cluster autoscaler cannot add nodes: instance quota reached.'],
  ['Login error rate above 2%', 'SEV1', 'monitoring', ['Auth Service'], 'Token endpoint errors after Redis failover; fix deployed, watching error rate.'],
  ['Trace ingestion dropping spans', 'SEV4', 'monitoring', ['Observability Stack'], 'Collector queue overflow dropped ~5% of spans; buffer raised.'],
  ['Checkout outage during flash sale', 'SEV0', 'resolved', ['Checkout API', 'API Gateway'], 'Checkout returned 503 for 18 minutes under 6x normal traffic.'],
  ['Duplicate ledger entries for refunds', 'SEV1', 'resolved', ['Payments Ledger'], 'Retried refund jobs wrote duplicate entries for 212 refunds.'],
  ['Password reset emails not sent', 'SEV2', 'resolved', ['Auth Service'], 'Email provider API key expired.'],
  ['Search cluster yellow after node loss', 'SEV3', 'resolved', ['Search Indexer'], 'One data node lost; replicas rebuilding.'],
  ['Mobile app crash on launch for iOS 19.1', 'SEV1', 'resolved', ['Mobile BFF'], 'Config endpoint returned a field the old app version cannot parse.'],
  ['Gateway certificate expiring in 5 days', 'SEV4', 'resolved', ['API Gateway'], 'Automated renewal failed on DNS challenge.'],
  ['Log pipeline lag over 15 minutes', 'SEV3', 'resolved', ['Observability Stack'], 'Kafka partition leader imbalance after broker restart.'],
  ['Nightly warehouse load failed', 'SEV2', 'resolved', ['Data Warehouse ETL'], 'Schema change upstream broke the orders extract.'],
  ['Push tokens purged for 4% of users', 'SEV2', 'resolved', ['Mobile Push'], 'Cleanup job misread APNs feedback and deleted valid tokens.'],
  ['Intermittent 401s from token refresh', 'SEV3', 'resolved', ['Auth Service', 'Mobile BFF'], 'Refresh tokens rejected during key rotation window.'],
  ['Full API outage after DNS change', 'SEV0', 'closed', ['API Gateway', 'Auth Service', 'Checkout API'], 'A DNS change removed the apex record; all APIs unreachable for 27 minutes.'],
  ['Payments provider timeout storm', 'SEV1', 'closed', ['Checkout API', 'Payments Ledger'], 'Provider latency spike caused checkout timeouts.'],
  ['Kubernetes control plane upgrade stalled', 'SEV2', 'closed', ['Kubernetes Platform'], 'Upgrade stuck at 60%; API server unavailable for one cluster.'],
  ['SSO metadata refresh failing', 'SEV3', 'closed', ['SSO Connector'], 'IdP metadata URL moved for one customer.'],
  ['Warehouse cost spike from runaway query', 'SEV4', 'closed', ['Data Warehouse ETL'], 'A dashboard query scanned 40 TB repeatedly.'],
  ['Legacy report PDFs blank', 'SEV4', 'closed', ['Legacy Reports'], 'Font package missing after base image update.'],
  ['Billing webhook backlog after provider outage', 'SEV2', 'closed', ['Billing Webhooks'], 'Provider replayed 90k events at once.'],
  ['Mobile BFF elevated latency in APAC', 'SEV3', 'closed', ['Mobile BFF'], 'Cross-region calls after a misconfigured failover.'],
  ['Observability retention misconfigured', 'SEV4', 'closed', ['Observability Stack'], 'Logs kept 3 days instead of 30.'],
  ['Session fixation report from bug bounty', 'SEV1', 'closed', ['Auth Service'], 'Session id not rotated after login on the legacy web flow.'],
  ['Search ranking regression', 'SEV3', 'closed', ['Search Indexer'], 'Boost weights reset by a config deploy.'],
  ['Checkout tax calculation wrong for CA', 'SEV2', 'closed', ['Checkout API'], 'Tax rates table not updated for new district rates.'],
  ['Ingress controller CPU saturation', 'SEV2', 'closed', ['API Gateway', 'Kubernetes Platform'], 'Regex-heavy route rules saturated ingress CPU.'],
  ['Push notification duplicates', 'SEV4', 'closed', ['Mobile Push'], 'Retry without dedupe key sent duplicates to 1% of users.'],
  ['Ledger reconciliation mismatch', 'SEV1', 'closed', ['Payments Ledger'], 'Daily reconciliation off by 0.3% due to timezone boundary bug.'],
  ['Identity database failover', 'SEV0', 'closed', ['Auth Service'], 'Primary failed over; 9 minutes of failed logins.'],
  ['ETL credentials expired', 'SEV3', 'closed', ['Data Warehouse ETL'], 'Service account password rotated without updating the vault.'],
  ['Metrics gaps during Prometheus upgrade', 'SEV4', 'closed', ['Observability Stack'], 'Scrape gaps of up to 6 minutes.'],
];

export const NOTES = [
  'Rolled back the last deploy as a precaution.',
  'Dashboards linked in the channel; error rate flat for now.',
  'Paging the owning team for a second pair of eyes.',
  'Customer support reports matching tickets.',
  'Found the suspicious change in the deploy log.',
  'Added a temporary rate limit to protect the database.',
  'Status page updated.',
  'Vendor confirmed an issue on their side.',
];
