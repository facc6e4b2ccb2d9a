#!/usr/bin/env bash
# Makes sure Debian's ffmpeg is installed. The hub decodes FLAC, M4A/AAC and WebM reference audio and encodes mp3,
# aac and flac responses with it (WAV, MP3-in, Ogg Vorbis, Ogg Opus and PCM need nothing); the codec tests make
# their input files with it. Debian's package, not a download: the closed network has only the package registries.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v ffmpeg >/dev/null; then
  log "$(ffmpeg -hide_banner -version | head -n 1) is installed"
  exit 0
fi
apt_install ffmpeg
command -v ffmpeg >/dev/null || die "ffmpeg is not on PATH after apt-get install ffmpeg"
log "installed $(ffmpeg -hide_banner -version | head -n 1)"
