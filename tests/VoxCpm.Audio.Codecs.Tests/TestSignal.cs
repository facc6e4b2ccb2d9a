using System.Diagnostics;
using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Audio.Codecs.Tests;

/// <summary>A known signal (a 440 Hz tone) and the checks that a decoded copy of it is still that tone.</summary>
internal static class TestSignal
{
    public const double Frequency = 440;
    public const float Amplitude = 0.5f;

    public static float[] Tone(int sampleRate, double seconds)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = Amplitude * (float)Math.Sin(2 * Math.PI * Frequency * i / sampleRate);
        }

        return samples;
    }

    public static byte[] ToneWav(int sampleRate, double seconds) => WavWriter.ToWavBytes(Tone(sampleRate, seconds), sampleRate);

    /// <summary>Asserts the length (within <paramref name="slackSeconds"/>), the pitch (zero crossings) and the level of a decoded tone.</summary>
    public static void AssertIsTone(DecodedAudio audio, double seconds, double slackSeconds = 0.08)
    {
        Assert.InRange(audio.Duration.TotalSeconds, seconds - slackSeconds, seconds + slackSeconds);
        var middle = audio.Samples.AsSpan(audio.Samples.Length / 4, audio.Samples.Length / 2);
        int crossings = 0;
        double energy = 0;
        for (int i = 1; i < middle.Length; i++)
        {
            crossings += (middle[i - 1] < 0) != (middle[i] < 0) ? 1 : 0;
            energy += middle[i] * middle[i];
        }

        double measured = crossings / 2.0 / (middle.Length / (double)audio.SampleRate);
        Assert.InRange(measured, Frequency * 0.97, Frequency * 1.03);
        Assert.InRange(Math.Sqrt(energy / middle.Length), Amplitude / Math.Sqrt(2) * 0.8, Amplitude / Math.Sqrt(2) * 1.2);
    }

    public static FfmpegTool Ffmpeg { get; } = RequireFfmpeg();

    /// <summary>Runs the test machine's ffmpeg (scripts/setup-ffmpeg.sh installs it) over <paramref name="input"/>, through files.</summary>
    public static byte[] RunFfmpeg(byte[] input, params string[] outputArguments)
    {
        var directory = Directory.CreateTempSubdirectory("voxcpm-codec-test-");
        try
        {
            var inPath = Path.Combine(directory.FullName, "in");
            var outPath = Path.Combine(directory.FullName, "out");
            File.WriteAllBytes(inPath, input);
            var info = new ProcessStartInfo(Ffmpeg.Path!) { RedirectStandardError = true };
            foreach (var a in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-i", inPath, .. outputArguments, outPath])
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "ffmpeg did not finish within 60 s");
            Assert.True(process.ExitCode == 0, $"ffmpeg failed: {process.StandardError.ReadToEnd()}");
            return File.ReadAllBytes(outPath);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static FfmpegTool RequireFfmpeg()
    {
        var tool = FfmpegTool.FromPath();
        Assert.True(tool.IsAvailable, "these tests need ffmpeg on PATH: run scripts/setup-ffmpeg.sh (Debian package 'ffmpeg')");
        return tool;
    }
}
