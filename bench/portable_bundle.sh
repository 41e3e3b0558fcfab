#!/usr/bin/env bash
# Packs the release build of hyperslice with the Open MPI 4.1 runtime it runs under (mpirun, orted,
# components, help files, PMIx) and every shared library they load, into one folder that runs on an
# x86-64 Linux machine without Open MPI -- how the 16-core recordings in bench/results/ were made on a
# lent machine with no MPI installed. Open MPI is relocated with OPAL_PREFIX and PMIx with PMIX_PREFIX
# (Open MPI's FAQ, "relocating an installation"); the folder's env.sh sets them.
#
#   bench/portable_bundle.sh [OUT]          (default OUT: bench-out/bundle)
#   source OUT/env.sh && mpirun -np 16 OUT/hyperslice run ...
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-out/bundle}"
multiarch=x86_64-linux-gnu
rm -rf "$out"
mkdir -p "$out/lib" "$out/usr/bin" "$out/usr/lib/$multiarch" "$out/usr/share"
cp -a "/usr/lib/$multiarch/openmpi" "/usr/lib/$multiarch/pmix2" "$out/usr/lib/$multiarch/"
rm -rf "$out/usr/lib/$multiarch/openmpi/include" "$out/usr/lib/$multiarch/pmix2/include"
cp -a /usr/share/openmpi "$out/usr/share/"
[ -d /usr/share/pmix ] && cp -a /usr/share/pmix "$out/usr/share/"
cp -L /usr/bin/orterun "$out/usr/bin/mpirun"
cp -L /usr/bin/orted "$out/usr/bin/orted"
cp build/release/cli/hyperslice "$out/hyperslice"

# Every library the binaries and the components load, except the C library itself (the host's is used).
{
  for f in "$out/hyperslice" "$out/usr/bin/"* $(find "$out/usr/lib" -name '*.so*' -type f); do
    ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}'
  done
} | sort -u | grep -Ev '/(libc|libm|libpthread|libdl|librt|ld-linux-x86-64)\.so' | while read -r lib; do
  cp -Ln "$lib" "$out/lib/" 2>/dev/null || true
done

cat > "$out/env.sh" <<'ENV'
# source this: the bundle's Open MPI and libraries, wherever the folder is.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export OPAL_PREFIX="$here/usr" PMIX_PREFIX="$here/usr/lib/x86_64-linux-gnu/pmix2"
export PATH="$here/usr/bin:$PATH"
export LD_LIBRARY_PATH="$here/lib:$here/usr/lib/x86_64-linux-gnu/openmpi/lib:$here/usr/lib/x86_64-linux-gnu/pmix2/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Components built against libraries this bundle does not carry (InfiniBand, UCX, OFI) are not needed on
# one node: keep Open MPI from trying them.
export OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,vader,tcp OMPI_MCA_mtl=^ofi,psm2 OMPI_MCA_osc=^ucx
ENV
du -sh "$out" >&2
