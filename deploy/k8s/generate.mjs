// Generates deploy/k8s/base from deploy/services.roster: for every service a
// Deployment, a headless Service (gRPC clients balance per call over its
// pods, round_robin over DNS) and a PodDisruptionBudget; the gateway with an
// HorizontalPodAutoscaler and an Ingress; NetworkPolicies (browsers reach
// only the gateway; only the services reach PostgreSQL; a service only
// those it calls); the database as a CloudNativePG Cluster (three
// instances, synchronous replication, the services' roles declared); a Job
// that sets up each schema's roles (services/common/db/roles.h).
//
//   node deploy/k8s/generate.mjs          # writes deploy/k8s/base/*.yaml
//   node deploy/k8s/generate.mjs --check  # fails if they are not up to date
//
// Plain JSON-shaped objects, written as YAML by hand (no dependency): the
// overlays (dev, production) patch replicas, resources and images.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const check = process.argv.includes("--check");

// --- the roster ------------------------------------------------------------
const roster = [];
for (const raw of readFileSync(join(root, "deploy/services.roster"), "utf8").split("\n")) {
  const line = raw.trim();
  if (!line || line.startsWith("#")) continue;
  const [name, target, port, services, calls, schema = "-"] = line.split(/\s+/);
  roster.push({
    name,
    target,
    port: Number(port),
    services: services.split(","),
    calls: calls === "-" ? [] : calls.split(","),
    schema: schema === "-" ? "" : schema,
  });
}

const dns = (name) => name.replace(/_/g, "-");
const app = (name) => ({ "app.kubernetes.io/name": dns(name), "app.kubernetes.io/part-of": "clinic" });
const GATEWAY_PORT = 8080;
const DB = "clinic-db";

// --- YAML ----------------------------------------------------------------
function scalar(v) {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "null";
  const s = String(v);
  return /^[A-Za-z0-9_./:@-]+$/.test(s) && !/^(true|false|null|yes|no|on|off|[0-9.]+)$/i.test(s)
    ? s
    : JSON.stringify(s);
}
function yaml(v, indent = "") {
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return v
      .map((item) => {
        if (item && typeof item === "object" && !Array.isArray(item) && Object.keys(item).length) {
          const body = yaml(item, indent + "  ");
          return `${indent}- ${body.slice(indent.length + 2)}`;
        }
        return `${indent}- ${yaml(item, indent + "  ").trimStart()}`;
      })
      .join("\n");
  }
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.length === 0) return "{}";
    return keys
      .map((k) => {
        const val = v[k];
        const key = scalar(k);
        if (val && typeof val === "object" && (Array.isArray(val) ? val.length : Object.keys(val).length)) {
          return `${indent}${key}:\n${yaml(val, indent + "  ")}`;
        }
        return `${indent}${key}: ${yaml(val, indent + "  ").trimStart()}`;
      })
      .join("\n");
  }
  return indent + scalar(v);
}
const docs = (objects) => objects.map((o) => yaml(o)).join("\n---\n") + "\n";

// --- objects ---------------------------------------------------------------
const probes = (port) => ({
  readinessProbe: { grpc: { port }, periodSeconds: 2, failureThreshold: 2 },
  livenessProbe: { grpc: { port }, periodSeconds: 10, failureThreshold: 3, initialDelaySeconds: 10 },
});
const secretEnv = {
  name: "CLINIC_GATEWAY_SECRET",
  valueFrom: { secretKeyRef: { name: "clinic-gateway", key: "secret" } },
};

function dbEnv(schema) {
  const env = [];
  for (const [who, role] of [
    ["APP", `clinic_${schema}_app`],
    ["OWNER", `clinic_${schema}`],
  ]) {
    env.push({
      name: `DB_${who}_PASSWORD`,
      valueFrom: { secretKeyRef: { name: `clinic-db-${dns(role)}`, key: "password" } },
    });
  }
  env.push({
    name: "DATABASE_URL",
    value: `host=${DB}-rw dbname=clinic user=clinic_${schema}_app password=$(DB_APP_PASSWORD) sslmode=require`,
  });
  env.push({
    name: "MIGRATION_DATABASE_URL",
    value: `host=${DB}-rw dbname=clinic user=clinic_${schema} password=$(DB_OWNER_PASSWORD) sslmode=require`,
  });
  return env;
}

function serviceObjects(s) {
  const name = dns(s.name);
  const args = [`--address=0.0.0.0`, `--port=${s.port}`];
  for (const callee of s.calls) {
    const c = roster.find((r) => r.name === callee);
    args.push(`--${callee}_backend=dns:///${dns(callee)}:${c.port}`);
  }
  if (s.name === "notifications") {
    args.push("--smtp_relay=$(SMTP_RELAY)", "--public_base_url=$(PUBLIC_BASE_URL)");
  }
  const env = [secretEnv, ...(s.schema ? dbEnv(s.schema) : [])];
  if (s.name === "notifications") {
    env.push(
      { name: "SMTP_RELAY", valueFrom: { configMapKeyRef: { name: "clinic-config", key: "smtp_relay" } } },
      { name: "PUBLIC_BASE_URL", valueFrom: { configMapKeyRef: { name: "clinic-config", key: "public_base_url" } } },
    );
  }
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, labels: app(s.name) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { "app.kubernetes.io/name": name } },
        template: {
          metadata: { labels: { ...app(s.name), "clinic/role": "service", ...(s.schema ? { "clinic/database": "yes" } : {}) } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name,
                image: `clinic/${name}:latest`,
                args,
                env,
                ports: [{ name: "grpc", containerPort: s.port }],
                ...probes(s.port),
                resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "256Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, labels: app(s.name) },
      // Headless: DNS answers every ready pod, and gRPC balances per call.
      spec: { clusterIP: "None", selector: { "app.kubernetes.io/name": name }, ports: [{ name: "grpc", port: s.port, targetPort: s.port }] },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name, labels: app(s.name) },
      spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": name } } },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name, labels: app(s.name) },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
        policyTypes: ["Ingress"],
        // Only the gateway and the services that call it.
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway" } } },
              ...roster
                .filter((r) => r.calls.includes(s.name))
                .map((r) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": dns(r.name) } } })),
            ],
            ports: [{ protocol: "TCP", port: s.port }],
          },
        ],
      },
    },
  ];
}

function gatewayObjects() {
  const backends = [];
  for (const s of roster) for (const g of s.services) backends.push(`--backend=${g}=dns:///${dns(s.name)}:${s.port}`);
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "gateway", labels: app("gateway") },
      spec: {
        replicas: 2,
        selector: { matchLabels: { "app.kubernetes.io/name": "gateway" } },
        template: {
          metadata: { labels: { ...app("gateway"), "clinic/role": "gateway" } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "gateway",
                image: "clinic/gateway:latest",
                args: ["--address=0.0.0.0", `--port=${GATEWAY_PORT}`, "--web_root=/srv/web", ...backends],
                env: [secretEnv],
                ports: [{ name: "http", containerPort: GATEWAY_PORT }],
                readinessProbe: { httpGet: { path: "/readyz", port: GATEWAY_PORT }, periodSeconds: 2, failureThreshold: 2 },
                livenessProbe: { httpGet: { path: "/healthz", port: GATEWAY_PORT }, periodSeconds: 10, initialDelaySeconds: 5 },
                resources: { requests: { cpu: "200m", memory: "64Mi" }, limits: { cpu: "2", memory: "256Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "gateway", labels: app("gateway") },
      spec: { selector: { "app.kubernetes.io/name": "gateway" }, ports: [{ name: "http", port: 80, targetPort: GATEWAY_PORT }] },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "gateway", labels: app("gateway") },
      spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "gateway" } } },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "gateway", labels: app("gateway") },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "gateway" },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "clinic", labels: app("gateway") },
      spec: {
        tls: [{ hosts: ["clinic.example.com"], secretName: "clinic-tls" }],
        rules: [
          {
            host: "clinic.example.com",
            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "gateway", port: { number: 80 } } } }] },
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "gateway", labels: app("gateway") },
      // Browsers (through the ingress controller) reach the gateway only.
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ protocol: "TCP", port: GATEWAY_PORT }] }],
      },
    },
  ];
}

function databaseObjects() {
  const withData = roster.filter((s) => s.schema);
  const roles = [];
  for (const s of withData) {
    for (const role of [`clinic_${s.schema}`, `clinic_${s.schema}_app`]) {
      roles.push({
        name: role,
        login: true,
        superuser: false,
        createdb: false,
        createrole: false,
        replication: false,
        bypassrls: false,
        passwordSecret: { name: `clinic-db-${dns(role)}` },
      });
    }
  }
  return [
    {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: DB, labels: { "app.kubernetes.io/part-of": "clinic" } },
      spec: {
        instances: 3,
        imageName: "ghcr.io/cloudnative-pg/postgresql:15",
        // Synchronous replication: a commit is acknowledged once a standby
        // has it too, so a failover loses no acknowledged booking.
        minSyncReplicas: 1,
        maxSyncReplicas: 1,
        postgresql: { parameters: { synchronous_commit: "on", max_connections: "200" } },
        bootstrap: { initdb: { database: "clinic", owner: "clinic" } },
        enableSuperuserAccess: true,
        managed: { roles },
        storage: { size: "10Gi" },
        affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname" },
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: DB, labels: { "app.kubernetes.io/part-of": "clinic" } },
      // Only the services with data, the role set-up job and the cluster's
      // own instances reach PostgreSQL.
      spec: {
        podSelector: { matchLabels: { "cnpg.io/cluster": DB } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { "clinic/database": "yes" } } },
              { podSelector: { matchLabels: { "cnpg.io/cluster": DB } } },
            ],
            ports: [{ protocol: "TCP", port: 5432 }],
          },
          // The operator's status checks.
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } } }], ports: [{ protocol: "TCP", port: 8000 }] },
        ],
      },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "setup-roles", labels: { "app.kubernetes.io/part-of": "clinic" } },
      spec: {
        backoffLimit: 20,
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "setup-roles", "clinic/database": "yes" } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "setup-roles",
                image: "clinic/setup-roles:latest",
                args: withData.map((s) => s.schema),
                env: [
                  { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${DB}-superuser`, key: "password" } } },
                  { name: "DATABASE_URL", value: `host=${DB}-rw dbname=clinic user=postgres password=$(DB_PASSWORD) sslmode=require` },
                ],
                resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      },
    },
  ];
}

// Egress: every pod reaches only DNS, the services it calls and (with data)
// PostgreSQL; the notifications service also the SMTP relay.
function egressPolicies() {
  const out = [];
  for (const s of [...roster, { name: "gateway", calls: roster.map((r) => r.name), schema: "" }]) {
    const to = [
      { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
    ];
    for (const callee of s.calls) {
      const c = roster.find((r) => r.name === callee);
      to.push({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": dns(callee) } } }], ports: [{ protocol: "TCP", port: c.port }] });
    }
    if (s.schema) to.push({ to: [{ podSelector: { matchLabels: { "cnpg.io/cluster": DB } } }], ports: [{ protocol: "TCP", port: 5432 }] });
    if (s.name === "notifications") to.push({ ports: [{ protocol: "TCP", port: 587 }, { protocol: "TCP", port: 25 }] });
    out.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `${dns(s.name)}-egress`, labels: app(s.name) },
      spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": dns(s.name) } }, policyTypes: ["Egress"], egress: to },
    });
  }
  return out;
}

const files = {};
const resources = [];
for (const s of roster) {
  files[`${dns(s.name)}.yaml`] = docs(serviceObjects(s));
  resources.push(`${dns(s.name)}.yaml`);
}
files["gateway.yaml"] = docs(gatewayObjects());
files["database.yaml"] = docs(databaseObjects());
files["egress.yaml"] = docs(egressPolicies());
files["config.yaml"] = docs([
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "clinic-config" },
    data: { smtp_relay: "smtp://smtp.example.com:587", public_base_url: "https://clinic.example.com" },
  },
]);
resources.push("gateway.yaml", "database.yaml", "egress.yaml", "config.yaml");
files["kustomization.yaml"] =
  "# Generated by deploy/k8s/generate.mjs from deploy/services.roster; do not edit.\n" +
  yaml({
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    commonLabels: { "app.kubernetes.io/part-of": "clinic" },
    resources,
  }) +
  "\n";

// --- overlays --------------------------------------------------------------
const deployments = [...roster.map((r) => dns(r.name)), "gateway"];
const overlay = (env, replicas, cpu, memory, extra) => {
  const patches = deployments.map((name) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      template: {
        spec: {
          containers: [{ name, resources: { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } } }],
        },
      },
    },
  }));
  return {
    "kustomization.yaml":
      "# Generated by deploy/k8s/generate.mjs; do not edit.\n" +
      yaml({
        apiVersion: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        namespace: `clinic-${env}`,
        resources: ["../../base"],
        images: [...deployments, "setup-roles"].map((name) => ({ name: `clinic/${name}`, newTag: env === "dev" ? "dev" : "1.0.0" })),
        // The older spellings, which every kustomize (kubectl 1.20's too)
        // reads.
        patchesStrategicMerge: ["deployments.yaml", "extra.yaml"],
      }) +
      "\n",
    "deployments.yaml": "# Generated by deploy/k8s/generate.mjs; do not edit.\n" + docs(patches),
    "extra.yaml": "# Generated by deploy/k8s/generate.mjs; do not edit.\n" + docs(extra),
  };
};
const overlays = {
  // One of each, small; one database instance (no standby to wait for).
  dev: overlay("dev", 1, ["50m", "250m"], ["32Mi", "128Mi"], [
    { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: DB }, spec: { instances: 1, minSyncReplicas: 0, maxSyncReplicas: 0, storage: { size: "1Gi" } } },
    { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "gateway" }, spec: { minReplicas: 1, maxReplicas: 2 } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "clinic-config" }, data: { smtp_relay: "smtp://mailpit:1025", public_base_url: "http://clinic.dev.localhost" } },
  ]),
  // Three of each across nodes; the database as in base (3 instances, one
  // synchronous standby).
  production: overlay("production", 3, ["200m", "2"], ["128Mi", "512Mi"], [
    { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "gateway" }, spec: { minReplicas: 3, maxReplicas: 20 } },
    { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: DB }, spec: { storage: { size: "100Gi" } } },
  ]),
};

// --- container images -------------------------------------------------------
// One Containerfile per service, from the Bazel binary (built on Debian 12
// against Debian's libraries, so the image is Debian 12 with those
// libraries): podman build -f deploy/k8s/containers/<name>.Containerfile .
const RUNTIME_LIBS =
  "libabsl20220623 libgrpc++1.51 libgrpc29 libprotobuf32 libpqxx-6.4 libpq5 libsodium23 libcurl4 libphonenumber8 libre2-9 libc-ares2 ca-certificates";
const containers = {};
const binaries = [
  ...roster.map((r) => ({ name: dns(r.name), target: r.target })),
  { name: "gateway", target: "//services/gateway:gateway", web: true },
  { name: "setup-roles", target: "//services/common/db:setup_roles" },
];
for (const b of binaries) {
  // ./clinic up copies every binary out of bazel-bin into .clinic/bin (a
  // real file in the build context, unlike bazel-bin's symlinks).
  const bin = `.clinic/bin/${b.target.split(":")[1]}`;
  containers[`${b.name}.Containerfile`] =
    `# Generated by deploy/k8s/generate.mjs; do not edit. From the checkout,
# after ./clinic up (or build) has put ${bin} there${b.web ? " and web/dist" : ""}:
#   podman build -f deploy/k8s/containers/${b.name}.Containerfile -t clinic/${b.name} .
# BASE: any Debian 12 image (e.g. one imported from debootstrap where no
# registry is reachable: see README).
ARG BASE=docker.io/library/debian:12-slim
FROM \${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends ${RUNTIME_LIBS} \\
 && rm -rf /var/lib/apt/lists/*
COPY ${bin} /usr/local/bin/${b.name}
${b.web ? "COPY web/dist /srv/web\n" : ""}USER 65532:65532
ENTRYPOINT ["/usr/local/bin/${b.name}"]
`;
}

const dir = join(here, "base");
mkdirSync(dir, { recursive: true });
let stale = [];
for (const [name, text] of Object.entries(files)) {
  const path = join(dir, name);
  const body = name === "kustomization.yaml" ? text : "# Generated by deploy/k8s/generate.mjs from deploy/services.roster; do not edit.\n" + text;
  if (check) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== body) stale.push(name);
  } else {
    writeFileSync(path, body);
  }
}
for (const [env, overlayFiles] of Object.entries(overlays)) {
  const odir = join(here, "overlays", env);
  mkdirSync(odir, { recursive: true });
  for (const [name, body] of Object.entries(overlayFiles)) {
    const path = join(odir, name);
    if (check) {
      if (!existsSync(path) || readFileSync(path, "utf8") !== body) stale.push(`overlays/${env}/${name}`);
    } else {
      writeFileSync(path, body);
    }
  }
}
{
  const cdir = join(here, "containers");
  mkdirSync(cdir, { recursive: true });
  for (const [name, body] of Object.entries(containers)) {
    const path = join(cdir, name);
    if (check) {
      if (!existsSync(path) || readFileSync(path, "utf8") !== body) stale.push(`containers/${name}`);
    } else {
      writeFileSync(path, body);
    }
  }
}
if (check && stale.length) {
  console.error(`deploy/k8s/base is not what the roster makes (${stale.join(", ")}): run node deploy/k8s/generate.mjs`);
  process.exit(1);
}
