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

Exit status: 0 done, 1 the spec was refused (or --check found differences), 2 usage error.
`;
