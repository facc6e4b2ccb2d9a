using VoxCpm.Audio.Codecs.Opus;

namespace VoxCpm.Audio.Codecs.Writing;

/// <summary>Ogg Opus (OpenAI's <c>opus</c>): the header pages first, then one page per chunk that completed a packet.</summary>
internal sealed class OggOpusStreamEncoder(Stream output, int sampleRate) : AudioStreamEncoder(output, sampleRate)
{
    private readonly OggOpusWriter _writer = new(sampleRate);
    private bool _started;

    public override async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        var page = _writer.Append(samples.Span);
        if (page.Length > 0)
        {
            await Output.WriteAsync(page, cancellationToken);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await Output.WriteAsync(_writer.Finish(), cancellationToken);
        await Output.FlushAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return base.DisposeAsync();
    }

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await Output.WriteAsync(_writer.Start(), cancellationToken);
        }
    }
}
