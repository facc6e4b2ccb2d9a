using System.Text.Json;

namespace VoxCpm.Hub.Http;

/// <summary>
/// A streamed response body that flushes every write, so each encoded chunk (a WAV header, an Ogg page, FFmpeg's
/// frames) leaves the server as soon as the encoder writes it.
/// </summary>
internal class FlushingStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken);
        await Inner.FlushAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    public override void Flush() => throw new NotSupportedException("the response body is written asynchronously");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the response body is written asynchronously");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// OpenAI's streamed speech events: every write of the encoder becomes one <c>speech.audio.delta</c> event (base64
/// of those bytes), then one <c>speech.audio.done</c> or <c>error</c>.
/// </summary>
internal sealed class SseDeltaStream(Stream inner) : FlushingStream(inner)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? ValueTask.CompletedTask : new(WriteEventAsync(new DeltaEvent("speech.audio.delta", Convert.ToBase64String(buffer.Span)), cancellationToken));

    /// <summary>The final event. OpenAI counts tokens; here input is characters and output is audio samples.</summary>
    public Task DoneAsync(int inputCharacters, long outputSamples, CancellationToken cancellationToken) =>
        WriteEventAsync(new DoneEvent("speech.audio.done", new Usage(inputCharacters, outputSamples, inputCharacters + outputSamples)), cancellationToken);

    public Task ErrorAsync(string code, string message, CancellationToken cancellationToken) =>
        WriteEventAsync(new ErrorEvent("error", new ErrorPayload(code, message)), cancellationToken);

    private async Task WriteEventAsync<T>(T payload, CancellationToken cancellationToken)
    {
        await Inner.WriteAsync("data: "u8.ToArray(), cancellationToken);
        await Inner.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(payload, s_json), cancellationToken);
        await Inner.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
        await Inner.FlushAsync(cancellationToken);
    }

    private sealed record DeltaEvent(string Type, string Audio);

    private sealed record DoneEvent(string Type, Usage Usage);

    private sealed record Usage(
        [property: System.Text.Json.Serialization.JsonPropertyName("input_tokens")] long InputTokens,
        [property: System.Text.Json.Serialization.JsonPropertyName("output_tokens")] long OutputTokens,
        [property: System.Text.Json.Serialization.JsonPropertyName("total_tokens")] long TotalTokens);

    private sealed record ErrorEvent(string Type, ErrorPayload Error);

    private sealed record ErrorPayload(string Code, string Message);
}
