// The Kubernetes manifests (deploy/k8s): generated from the roster and up to
// date; each overlay rendered by `kubectl kustomize` and every object
// validated against the Kubernetes schemas (kubernetes-models) and
// CloudNativePG's (@kubernetes-models/cloudnative-pg); every service of the
// roster has its Deployment, headless Service, PodDisruptionBudget and
// NetworkPolicies; the gateway its HorizontalPodAutoscaler and Ingress; the
// database three instances with a synchronous standby in production; the
// secrets come from Secrets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const roster = readFileSync(join(root, "deploy/services.roster"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => {
    const [name, , port, , , schema = "-"] = l.split(/\s+/);
    return { name: name.replace(/_/g, "-"), port: Number(port), schema: schema === "-" ? "" : schema };
  });

function render(overlay) {
  const out = execFileSync("kubectl", ["kustomize", join(root, "deploy/k8s/overlays", overlay)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return parseAllDocuments(out).map((d) => d.toJSON());
}

// The model class of an object: kubernetes-models for the built-in kinds,
// @kubernetes-models/cloudnative-pg for the CNPG Cluster.
async function modelOf(o) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  if (group === "postgresql.cnpg.io") {
    return (await import(`@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/${version}/${o.kind}`))[o.kind];
  }
  const dir = group === "" ? version : `${group.replace(/\.k8s\.io$/, ".k8s.io")}/${version}`;
  return (await import(`kubernetes-models/${dir}/${o.kind}`))[o.kind];
}

test("the manifests are what the roster makes (node deploy/k8s/generate.mjs)", () => {
  execFileSync("node", [join(root, "deploy/k8s/generate.mjs"), "--check"], { stdio: "inherit" });
});

for (const overlay of ["dev", "production"]) {
  test(`${overlay}: every object is valid against its schema`, async () => {
    const objects = render(overlay);
    assert.ok(objects.length > 30, `only ${objects.length} objects`);
    const invalid = [];
    for (const o of objects) {
      const Model = await modelOf(o);
      assert.ok(Model, `no schema for ${o.apiVersion} ${o.kind}`);
      try {
        new Model(o).validate();
      } catch (e) {
        invalid.push(`${o.kind}/${o.metadata.name}: ${e.message}`);
      }
      assert.equal(o.metadata.namespace, `clinic-${overlay}`, `${o.kind}/${o.metadata.name} namespace`);
    }
    assert.deepEqual(invalid, []);
    console.log(
      `${overlay}: ${objects.length} objects valid: ` +
        Object.entries(
          objects.reduce((n, o) => ({ ...n, [o.kind]: (n[o.kind] || 0) + 1 }), {}),
        )
          .map(([k, v]) => `${v} ${k}`)
          .join(", "),
    );
  });

  test(`${overlay}: every service of the roster has its objects, the gateway its own`, () => {
    const objects = render(overlay);
    const has = (kind, name) => objects.some((o) => o.kind === kind && o.metadata.name === name);
    for (const s of roster) {
      for (const kind of ["Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy"]) {
        assert.ok(has(kind, s.name), `${kind} ${s.name}`);
      }
      const d = objects.find((o) => o.kind === "Deployment" && o.metadata.name === s.name);
      const c = d.spec.template.spec.containers[0];
      assert.equal(c.readinessProbe.grpc.port, s.port, `${s.name}: gRPC readiness probe`);
      assert.ok(c.resources.requests && c.resources.limits, `${s.name}: requests and limits`);
      const secret = c.env.find((e) => e.name === "CLINIC_GATEWAY_SECRET");
      assert.equal(secret.valueFrom.secretKeyRef.name, "clinic-gateway", `${s.name}: the secret from a Secret`);
      // Runtime and migration roles of its own, passwords from Secrets.
      if (s.schema) {
        const url = c.env.find((e) => e.name === "DATABASE_URL").value;
        assert.match(url, new RegExp(`user=clinic_${s.schema}_app `));
        assert.match(url, /password=\$\(DB_APP_PASSWORD\)/);
        assert.ok(c.env.find((e) => e.name === "DB_APP_PASSWORD").valueFrom.secretKeyRef);
      } else {
        assert.ok(!c.env.some((e) => e.name === "DATABASE_URL"), `${s.name} has no database`);
      }
      const svc = objects.find((o) => o.kind === "Service" && o.metadata.name === s.name);
      assert.equal(svc.spec.clusterIP, "None", `${s.name}: headless, so gRPC balances per call`);
    }
    for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"]) {
      assert.ok(has(kind, "gateway"), `gateway ${kind}`);
    }
    assert.ok(objects.some((o) => o.kind === "Ingress"), "an Ingress");
    // Only services with data reach PostgreSQL.
    const db = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "clinic-db");
    assert.equal(db.spec.ingress[0].from[0].podSelector.matchLabels["clinic/database"], "yes");
    const cluster = objects.find((o) => o.kind === "Cluster");
    if (overlay === "production") {
      assert.equal(cluster.spec.instances, 3);
      assert.ok(cluster.spec.minSyncReplicas >= 1, "a synchronous standby");
      for (const d of objects.filter((o) => o.kind === "Deployment")) assert.equal(d.spec.replicas, 3);
    }
  });
}
