using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Audio.Codecs;
using VoxCpm.Audio.Codecs.Ffmpeg;

namespace VoxCpm.Hub.Audio;

internal static class AudioServiceCollectionExtensions
{
    /// <summary>Audio formats in and out: the reference-audio reader and FFmpeg (found on PATH once, at start).</summary>
    public static IServiceCollection AddVoxCpmAudioFormats(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => FfmpegTool.FromPath());
        services.TryAddSingleton<ReferenceAudioReader>();
        services.TryAddSingleton<ReferenceVoiceEncoder>();
        return services;
    }
}
