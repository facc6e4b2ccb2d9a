using System.Text.Json;
using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Loads only the AudioVAE of a model directory (<c>config.json</c>'s <c>audio_vae_config</c> and the VAE weights file),
/// whatever the rest of the checkpoint is: VAE tools and checks need neither the LM weights nor the tokenizer.
/// </summary>
internal static class AudioVaeCheckpoint
{
    public static (AudioVaeConfig Config, WeightStore Weights) Load(string modelDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        string configPath = Path.Combine(modelDirectory, CheckpointLoader.ConfigFile);
        AudioVaeConfig config;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(configPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            var root = json.RootElement;
            string architecture = root.TryGetProperty("architecture", out var a) && a.GetString() is { } name ? name : "voxcpm";
            var section = root.TryGetProperty("audio_vae_config", out var v) ? v.Deserialize<AudioVaeConfig>(VoxCpmConfig.JsonOptions) : null;
            config = (section ?? new AudioVaeConfig()).ForArchitecture(architecture);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{configPath}: not a valid VoxCPM config ({e.Message})", e);
        }

        return (config, CheckpointLoader.LoadAudioVaeWeights(modelDirectory, config, ignored: [], cancellationToken));
    }
}
