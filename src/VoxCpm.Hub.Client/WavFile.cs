using VoxCpm.Hub.Contracts.Audio;

namespace VoxCpm.Hub.Client;

/// <summary>
/// Writes audio chunks as a PCM16 mono WAV file, with the header of <see cref="WavWriter"/> (the one the server writes).
/// </summary>
public static class WavFile
{
    /// <summary>Writes the chunks to a new file at <paramref name="path"/> as they arrive.</summary>
    public static async Task<long> WriteAsync(string path, IAsyncEnumerable<AudioChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, useAsync: true);
        return await WriteAsync(file, chunks, cancellationToken);
    }

    /// <summary>
    /// Writes the chunks to <paramref name="stream"/> and returns the number of samples. A seekable stream gets the
    /// audio as it arrives and the header patched at the end; otherwise the audio is buffered first.
    /// </summary>
    public static async Task<long> WriteAsync(Stream stream, IAsyncEnumerable<AudioChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(chunks);
        var target = stream.CanSeek ? stream : new MemoryStream();
        var start = target.Position;
        var header = new byte[WavWriter.HeaderSize];
        await target.WriteAsync(header, cancellationToken);
        long dataBytes = 0;
        var sampleRate = 16_000;
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            sampleRate = chunk.SampleRate;
            await target.WriteAsync(chunk.Pcm16, cancellationToken);
            dataBytes += chunk.Pcm16.Length;
        }

        WavWriter.WriteHeader(header, sampleRate, dataBytes / 2);
        var end = target.Position;
        target.Position = start;
        await target.WriteAsync(header, cancellationToken);
        target.Position = end;
        if (!ReferenceEquals(target, stream))
        {
            target.Position = 0;
            await target.CopyToAsync(stream, cancellationToken);
            await target.DisposeAsync();
        }

        return dataBytes / 2;
    }

    /// <summary>Writes the chunks as a WAV file into memory.</summary>
    public static async Task<byte[]> ToBytesAsync(IAsyncEnumerable<AudioChunk> chunks, CancellationToken cancellationToken = default)
    {
        using var memory = new MemoryStream();
        await WriteAsync(memory, chunks, cancellationToken);
        return memory.ToArray();
    }
}
