# syntax=docker/dockerfile:1
# VoxCpm.Hub image: the web UI built with Node, the hub published with the .NET 10 SDK, run on NVIDIA's CUDA +
# cuDNN runtime (Microsoft.ML.OnnxRuntime.Gpu 1.31 loads libcublasLt.so.13: CUDA 13 and cuDNN 9) with the ASP.NET Core 10 runtime added.
#
# NOTE: no machine this project is developed or tested on can run Docker, so this file (and docker-compose.yml)
# is kept correct by reading, not by building. Check it on a Docker host after changing it:
#   docker build -t voxcpm-hub . && docker compose up

# --- web UI ------------------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/client-web
COPY client-web/package.json client-web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY client-web/ ./
RUN npm run build

# --- hub ---------------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the build files only, so that code changes reuse the restored-packages layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig VoxCpm.Hub.sln ./
COPY src/ src/
COPY migrations/ migrations/
RUN dotnet restore src/VoxCpm.Hub/VoxCpm.Hub.csproj
COPY --from=web /src/client-web/dist/ src/VoxCpm.Hub/wwwroot/
RUN dotnet publish src/VoxCpm.Hub/VoxCpm.Hub.csproj -c Release --no-restore -o /app

# --- runtime -----------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet-runtime

FROM nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
# The ASP.NET Core runtime comes from Microsoft's own image (also Ubuntu 24.04, so the same glibc); ICU for
# globalization, curl for the container health check, ffmpeg for FLAC/M4A reference audio and mp3/aac/flac responses.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates libicu74 curl ffmpeg \
  && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
  && useradd --create-home --uid 1654 app
# glibc.malloc.hugetlb=1: ONNX Runtime's large buffers (the prepacked weights) come from transparent huge pages, one
# page fault per 2 MiB instead of per 4 KiB (docs/configuration.md, "Model load").
ENV DOTNET_ROOT=/usr/share/dotnet \
  DOTNET_NOLOGO=1 \
  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \
  TTS_HOST=0.0.0.0 \
  TTS_PORT=9300 \
  TTS_WEB_PORT=9301 \
  HF_HOME=/home/app/.cache/huggingface
COPY --from=build /app /app
# The hub reads .env from its working directory; /app has none, so settings come from the environment.
WORKDIR /app
USER app
EXPOSE 9300 9301
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD curl --fail --silent http://127.0.0.1:${TTS_PORT}/health >/dev/null || exit 1
ENTRYPOINT ["dotnet", "/app/VoxCpm.Hub.dll"]
