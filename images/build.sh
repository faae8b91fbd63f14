#!/usr/bin/env bash
# Builds a Cloud Run image of images/ on this machine, with no Docker engine and no registry, and
# checks what a reviewer of the image would: the user, the entrypoint, the environment, and that
# no layer holds a secret.
#
#   images/build.sh extractor     # images/extractor.Dockerfile (needs extractor/target/extractor.jar)
#
# How: buildah (Debian's package; installed when missing) builds the Dockerfile as it is, daemonless,
# with the vfs storage driver. Its production base (distroless Java 17) sits in a registry this
# machine cannot reach, so the base is made here: a JRE 17 cut from this machine's JDK with jlink
# (the modules the jar needs), its shared libraries, /etc/passwd with the non-root user, committed
# with buildah. The image is then run once (buildah run, chroot isolation): the entrypoint as the
# image's user answering --help.
#
# The dbt runner's image (images/dbt-runner.Dockerfile) needs a Python base and pip inside the
# build: see the README (Deploy on Google Cloud) for what was tried.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
image=${1:-}
[[ $image == extractor ]] || { sed -n '2,16p' "$0" >&2; exit 2; }
jar=extractor/target/extractor.jar
[[ -f $jar ]] || { echo "error: $jar is missing: run mvn -DskipTests package" >&2; exit 1; }

if ! command -v buildah >/dev/null; then
  echo "images: installing buildah (Debian)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq buildah >&2
fi
export STORAGE_DRIVER=vfs
export BUILDAH_ISOLATION=chroot
work=$(mktemp -d)
containers=()
cleanup() {
  for c in "${containers[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
start=$SECONDS

# --- The base: JRE 17 from this machine's JDK ----------------------------------------------------
base=localhost/listening-jre17-base:local
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")
[[ -x $jdk/bin/jlink ]] || { echo "error: no jlink under $jdk: a JDK 17 is needed" >&2; exit 1; }
"$jdk/bin/java" -version 2>&1 | grep -q 'version "17' || { echo "error: $jdk is not a JDK 17" >&2; exit 1; }
rootfs=$work/rootfs
mkdir -p "$rootfs"/{usr/bin,etc,tmp,app}
chmod 1777 "$rootfs/tmp"
# The modules jdeps finds in the jar (jdeps --print-module-deps), with TLS's elliptic curves.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.unsupported
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$rootfs/opt/java"
ln -s /opt/java/bin/java "$rootfs/usr/bin/java"
# The JRE's shared libraries and the loader, at the paths it looks for them.
find "$rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' |
  sort -u | while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
c=$(buildah from scratch); containers+=("$c")
buildah copy --quiet "$c" "$rootfs" / >/dev/null
buildah config --user 65532:65532 "$c"
buildah commit --quiet --rm "$c" "$base" >/dev/null
containers=()
echo "images: base $base made from $jdk (jlink: $modules)"

# --- The image, from its Dockerfile as it is -----------------------------------------------------
tag=localhost/listening-extractor:local
buildah bud --quiet --layers=false --build-arg "BASE_IMAGE=$base" \
  -f images/extractor.Dockerfile -t "$tag" . >/dev/null
echo "images: built $tag from images/extractor.Dockerfile"

# --- What a reviewer checks ----------------------------------------------------------------------
buildah inspect --type image "$tag" >"$work/inspect.json"
buildah push --quiet "$tag" "oci:$work/oci:$tag" >/dev/null
python3 - "$work/inspect.json" "$work/oci" <<'PY'
import io, json, re, sys, tarfile, zipfile
from pathlib import Path

config = json.load(open(sys.argv[1]))["OCIv1"]["config"]
problems = []
user = config.get("User", "")
if not user or user.split(":")[0] in ("", "0", "root"):
    problems.append(f"runs as {user or 'root'}: must be a non-root user")
entry = config.get("Entrypoint") or []
if entry != ["/usr/bin/java", "-jar", "/app/extractor.jar"]:
    problems.append(f"entrypoint {entry}: must start the jar's main class")
env = dict(e.split("=", 1) for e in config.get("Env", []))
for name in env:
    if re.search(r"SECRET|TOKEN|PASSWORD|KEY", name, re.I):
        problems.append(f"environment variable {name} baked in: secrets come from Cloud Run")

# Every file of every layer: no secret file names, no secret-looking content.
secret_names = re.compile(r"(^|/)(users\.json|\.env|.*\.pem|.*\.p12|credentials\.json|.*service.account.*\.json)$", re.I)
secret_content = re.compile(
    rb"-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----|\"private_key\"\s*:\s*\"-----"
    rb"|\"refresh_token\"\s*:\s*\"[^\"]{8,}|AIza[0-9A-Za-z_-]{35}|xox[baprs]-[0-9A-Za-z-]{10,}"
)
# Files of libraries that look like secrets by name and are public.
PUBLIC = {
    # google-api-client's bundled trust store of Google's public certificates.
    "com/google/api/client/googleapis/google.p12",
}
oci = Path(sys.argv[2])
index = json.loads((oci / "index.json").read_text())
manifest = json.loads((oci / "blobs" / "sha256" / index["manifests"][0]["digest"].split(":")[1]).read_text())
files = 0
for layer in manifest["layers"]:
    with tarfile.open(oci / "blobs" / "sha256" / layer["digest"].split(":")[1]) as t:
        for m in t:
            if not m.isfile():
                continue
            files += 1
            data = t.extractfile(m).read()
            blobs = [(m.name, data)]
            if m.name.endswith(".jar"):  # a zip: look inside every entry
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    blobs += [(f"{m.name}!{n}", z.read(n)) for n in z.namelist() if not n.endswith("/")]
            for name, blob in blobs:
                inner = name.split("!")[-1]
                if secret_names.search(inner) and inner not in PUBLIC:
                    problems.append(f"layer file {name}: a secret's file name")
                # Compiled classes hold PEM headers as code constants (Netty, gRPC), not secrets.
                if not inner.endswith(".class") and secret_content.search(blob):
                    problems.append(f"layer file {name}: secret-looking content")
print(f"images: {len(manifest['layers'])} layer(s), {files} files scanned; user {user}, "
      f"entrypoint {entry}, env {sorted(env)}")
if problems:
    print("images: PROBLEMS:\n  - " + "\n  - ".join(problems), file=sys.stderr)
    sys.exit(1)
PY

# The entrypoint runs, as the image's user, in the image's filesystem.
c=$(buildah from --quiet "$tag"); containers+=("$c")
help=$(buildah run --isolation chroot "$c" -- /usr/bin/java -jar /app/extractor.jar --help 2>&1)
grep -q "recently-played" <<<"$help" || { echo "images: the entrypoint did not answer --help:"; echo "$help"; exit 1; } >&2
whoami_line=$(buildah run --isolation chroot "$c" -- /usr/bin/java -XshowSettings:properties -version 2>&1 | grep 'user.name' || true)
echo "images: the image's java runs the jar (--help lists the commands); ${whoami_line## }"
buildah rmi "$tag" "$base" >/dev/null 2>&1 || true
echo "images: extractor image checked in $((SECONDS - start)) s"
