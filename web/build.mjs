// Builds the holders' web app into web/dist: the sources bundled by esbuild (viem included, from
// node_modules as package-lock.json pins it), the page and its style, and Swagger UI's own files for
// the gateway's /v1/docs. Nothing is fetched from anywhere at build time or in the browser.
// `node web/build.mjs` (scripts/install runs it when the sources or the lock file changed).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(fileURLToPath(import.meta.url));
const root = dirname(web);
const dist = join(web, "dist");

// `import { assetAbi } from "sdap:abi"`: the asset's transfer and reads (its exchange's address among them), and every custom error of the
// platform's contracts (a transfer's refusal may come from any of them), from the SDK's artifacts.
// The asset's address answers with the errors of both its halves: SecuredAsset and the
// SecuredAssetExtension it delegates to. An error is kept by its signature, so two of one name
// with different arguments both decode.
const errorSources = [
  "SecuredAsset",
  "SecuredAssetExtension",
  "PlatformRegistry",
  "CollateralAttestations",
  "HolderForwarder",
];
const signature = (item) => `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
const abiPlugin = {
  name: "sdap-abi",
  setup(b) {
    b.onResolve({ filter: /^sdap:abi$/ }, () => ({ path: "abi", namespace: "sdap" }));
    b.onLoad({ filter: /.*/, namespace: "sdap" }, () => {
      const wanted = new Set(["safeTransferFrom", "balanceOf", "exchange"]);
      const entries = new Map();
      for (const name of errorSources) {
        const { abi } = JSON.parse(readFileSync(join(root, "sdap", "artifacts", `${name}.json`), "utf8"));
        for (const item of abi) {
          if (item.type === "error" || (name === "SecuredAsset" && item.type === "function" && wanted.has(item.name)))
            entries.set(`${item.type}:${signature(item)}`, item);
        }
      }
      return { contents: `export const assetAbi = ${JSON.stringify([...entries.values()])};`, loader: "js" };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "docs"), { recursive: true });
await build({
  entryPoints: [join(web, "src", "main.js")],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: false,
  legalComments: "linked",
  outfile: join(dist, "app.js"),
  logLevel: "warning",
  plugins: [abiPlugin],
});
for (const file of ["index.html", "style.css", "favicon.svg"]) copyFileSync(join(web, file), join(dist, file));
const swagger = join(root, "node_modules", "swagger-ui-dist");
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) copyFileSync(join(swagger, file), join(dist, "docs", file));
