using VoxCpm.Audio.Codecs.Ffmpeg;
using VoxCpm.Audio.Codecs.Writing;
using VoxCpm.Engine.Audio;

namespace VoxCpm.Audio.Codecs.Tests;

/// <summary>
/// A file of every accepted format, made in the test from a known tone (ffmpeg writes MP3, Vorbis, FLAC, M4A and AAC;
/// our own writer writes Ogg Opus), decodes back to that tone; corrupted and over-long files are refused cleanly.
/// </summary>
public class ReferenceAudioReaderTests
{
    private static readonly AudioDecodeLimits s_limits = new(20L * 1024 * 1024, TimeSpan.FromSeconds(60));
    private readonly ReferenceAudioReader _reader = new(TestSignal.Ffmpeg);

    public static TheoryData<string, string[], AudioFileFormat> FfmpegMade => new()
    {
        { "mp3", ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"], AudioFileFormat.Mp3 },
        { "ogg vorbis", ["-c:a", "libvorbis", "-f", "ogg"], AudioFileFormat.OggVorbis },
        { "ogg opus (libopus)", ["-c:a", "libopus", "-f", "ogg"], AudioFileFormat.OggOpus },
        { "flac", ["-c:a", "flac", "-f", "flac"], AudioFileFormat.Flac },
        { "m4a", ["-c:a", "aac", "-movflags", "+faststart", "-f", "ipod"], AudioFileFormat.Mp4 },
        { "aac (adts)", ["-c:a", "aac", "-f", "adts"], AudioFileFormat.Adts },
        { "webm", ["-c:a", "libopus", "-f", "webm"], AudioFileFormat.WebM },
    };

    [Theory]
    [MemberData(nameof(FfmpegMade))]
    public async Task A_file_made_by_ffmpeg_decodes_to_the_tone(string name, string[] encode, AudioFileFormat expected)
    {
        var file = TestSignal.RunFfmpeg(TestSignal.ToneWav(44100, 1.5), encode);
        Assert.Equal(expected, AudioFileFormats.Detect(file));

        var audio = await _reader.DecodeAsync(file, s_limits, CancellationToken.None).DefaultTimeout();

        TestSignal.AssertIsTone(audio, 1.5, slackSeconds: name.StartsWith("m4a", StringComparison.Ordinal) || name.StartsWith("aac", StringComparison.Ordinal) ? 0.1 : 0.08);
    }

    [Fact]
    public async Task Wav_is_read_as_before()
    {
        var audio = await _reader.DecodeAsync(TestSignal.ToneWav(16000, 1), s_limits, CancellationToken.None).DefaultTimeout();
        Assert.Equal(16000, audio.Samples.Length);
        TestSignal.AssertIsTone(audio, 1, 0);
    }

    [Fact]
    public async Task Our_ogg_opus_decodes_to_exactly_the_input_length()
    {
        var output = new MemoryStream();
        await AudioStreamEncoder.EncodeAsync(AudioOutputFormat.Opus, TestSignal.Tone(16000, 1.234), 16000, output, TestSignal.Ffmpeg, CancellationToken.None);

        var audio = await _reader.DecodeAsync(output.ToArray(), s_limits, CancellationToken.None).DefaultTimeout();

        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal((int)(16000 * 1.234) * 3, audio.Samples.Length);
        TestSignal.AssertIsTone(audio, 1.234, 0.001);
    }

    [Fact]
    public async Task Without_ffmpeg_flac_is_refused_naming_the_format_and_the_package()
    {
        var flac = TestSignal.RunFfmpeg(TestSignal.ToneWav(16000, 0.5), "-c:a", "flac", "-f", "flac");
        var reader = new ReferenceAudioReader(new FfmpegTool(null));

        var e = await Assert.ThrowsAsync<AudioFormatException>(() => reader.DecodeAsync(flac, s_limits, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(AudioRejection.Unsupported, e.Rejection);
        Assert.Contains("FLAC", e.Message, StringComparison.Ordinal);
        Assert.Contains("'ffmpeg'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_bytes_are_refused_listing_the_formats_read()
    {
        var e = await Assert.ThrowsAsync<AudioFormatException>(() => _reader.DecodeAsync("not audio at all"u8.ToArray(), s_limits, CancellationToken.None)).DefaultTimeout();
        Assert.Equal(AudioRejection.Unsupported, e.Rejection);
        Assert.Contains(ReferenceAudioReader.SupportedFormats, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Truncatable => new()
    {
        { "mp3", ["-c:a", "libmp3lame", "-f", "mp3"] },
        { "ogg vorbis", ["-c:a", "libvorbis", "-f", "ogg"] },
        { "ogg opus", ["-c:a", "libopus", "-f", "ogg"] },
        { "flac", ["-c:a", "flac", "-f", "flac"] },
        { "m4a", ["-c:a", "aac", "-movflags", "+faststart", "-f", "ipod"] },
    };

    [Theory]
    [MemberData(nameof(Truncatable))]
    public async Task A_file_cut_after_its_header_is_refused_as_malformed(string name, string[] encode)
    {
        var file = TestSignal.RunFfmpeg(TestSignal.ToneWav(16000, 1), encode);

        var e = await Assert.ThrowsAsync<AudioFormatException>(() => _reader.DecodeAsync(file.AsMemory(0, 60), s_limits, CancellationToken.None)).DefaultTimeout();

        Assert.True(e.Rejection == AudioRejection.Malformed, $"{name}: {e.Rejection} {e.Message}");
    }

    [Fact]
    public async Task A_corrupted_ogg_page_is_refused_naming_the_checksum()
    {
        var file = TestSignal.RunFfmpeg(TestSignal.ToneWav(16000, 1), "-c:a", "libopus", "-f", "ogg");
        file[file.Length / 2] ^= 0x5A;

        var e = await Assert.ThrowsAsync<AudioFormatException>(() => _reader.DecodeAsync(file, s_limits, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bytes_after_an_mp3_sync_word_end_in_a_clean_refusal()
    {
        var junk = new byte[50_000];
        new Random(7).NextBytes(junk);
        junk[0] = 0xFF;
        junk[1] = 0xFB;

        // NLayer may find stray "frames" in noise; whatever it makes of it, the answer is audio or a refusal, never a crash.
        try
        {
            var audio = await _reader.DecodeAsync(junk, s_limits, CancellationToken.None).DefaultTimeout();
            Assert.True(audio.SampleRate > 0, $"sample rate {audio.SampleRate}");
            Assert.NotEmpty(audio.Samples);
            Assert.All(audio.Samples, sample => Assert.True(float.IsFinite(sample), $"sample {sample}"));
        }
        catch (AudioFormatException e)
        {
            Assert.StartsWith("MP3", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("mp3", new[] { "-c:a", "libmp3lame", "-f", "mp3" })]
    [InlineData("flac", new[] { "-c:a", "flac", "-f", "flac" })]
    [InlineData("ogg opus", new[] { "-c:a", "libopus", "-f", "ogg" })]
    public async Task Audio_longer_than_the_limit_is_refused_as_too_large(string name, string[] encode)
    {
        var file = TestSignal.RunFfmpeg(TestSignal.ToneWav(16000, 3), encode);

        var e = await Assert.ThrowsAsync<AudioFormatException>(() => _reader.DecodeAsync(file, s_limits with { MaxDuration = TimeSpan.FromSeconds(2) }, CancellationToken.None)).DefaultTimeout();

        Assert.True(e.Rejection == AudioRejection.TooLarge, $"{name}: {e.Message}");
        Assert.Contains("limit of 2 s", e.Message, StringComparison.Ordinal);
    }
}
