/** A mistake in how the command was called (exit status 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: tenancy <command> [options]

Commands:
  synth       Render the spec into manifests (the default command)
  validate    Check a spec and write nothing
  audit       Report multi-tenancy risks in manifests of any origin (files, folders, List exports)
  onboard     Write a new tenant's file from templates/, checked with every other tenant
  schema      Print the JSON Schema of a spec (--tenant: of one tenant file)

Options of synth:
  --config FILE   The spec to read (default: examples/tenancy.yaml)
  --out DIR       Output folder (default: $CDK8S_OUTDIR, else dist)
  --check         Write nothing; exit 1 naming the files that differ from the output folder
  --stdout        Print the YAML instead of writing files
  --format F      yaml (default): platform.yaml and tenants/<name>.yaml;
                  helm: a chart per tenant (tenant-<name>) and for the platform
                  (tenancy-platform), each as a folder and a packaged <chart>-<version>.tgz
  --chart-version V
                  With --format helm: the charts' version, SemVer 2 (default: this tool's version)
  --no-package    With --format helm: write the chart folders only, no .tgz
  -h, --help      Show this help

Options of validate:
  --config FILE   The spec to check (default: examples/tenancy.yaml)

Options of onboard (writes <tenantsDir>/<name>.yaml beside the spec; never overwrites):
  --name NAME           The tenant, also its namespace (required)
  --domain HOST         A host the tenant serves (required; repeat for more)
  --owner-group GROUP   A group that administers the tenant (repeatable)
  --owner-user USER     A user that administers the tenant (repeatable; at least one owner)
  --team TEAM           Team label (optional)
  --environment ENV     Environment label (optional)
  --config FILE         The spec the tenant joins (default: examples/tenancy.yaml)
  --templates DIR       Folder of tenant-file.yaml.hbs and onboard-next-steps.txt.hbs
                        (default: the templates/ folder of cdk8s-tenancy)

Options of schema:
  --tenant        The schema of a file under tenantsDir instead of the whole spec

Options of audit (tenancy audit PATH... ; PATH is a file, a folder of .yaml/.yml, or - for stdin):
  --tenant-namespaces a,b   These namespaces are the tenants
  --tenants-from label=KEY  The tenants are the namespaces labelled KEY
                            (default: label tenancy.cdk8s.io/tenant, else every namespace but
                            default, kube-*, *-system, cert-manager and those running Traefik)
  --format F                text (default), json or sarif (SARIF 2.1.0, for code scanning)
  --fail-on LEVEL           Exit 1 when a finding is at least critical, high (default), medium or low
  --secrets POLICY          manage (default: tenants may write Secrets, not delete them) or read-only

Exit status: 0 done, 1 the spec was refused (or --check found differences, or audit found
something at or above --fail-on), 2 usage error.
`;
