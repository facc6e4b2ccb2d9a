namespace VoxCpm.LoadGenerator;

/// <summary>
/// Plays a stream in the listener's head: audio starts when the first chunk arrives and runs in real time, so a chunk
/// that arrives after everything before it would have finished playing is an underrun (the listener heard a gap).
/// </summary>
internal sealed class PlaybackTracker(int sampleRate)
{
    private TimeSpan _playedUntil;
    private bool _started;

    public int Underruns { get; private set; }

    public void ChunkArrived(TimeSpan arrival, int samples)
    {
        if (samples == 0)
        {
            return; // the empty last-frame marker (PROTOCOL.md): nothing to play, so nothing to be late for
        }

        if (!_started)
        {
            _started = true;
            _playedUntil = arrival;
        }
        else if (arrival > _playedUntil)
        {
            Underruns++;
            _playedUntil = arrival; // playback resumes with this chunk
        }

        _playedUntil += TimeSpan.FromSeconds((double)samples / sampleRate);
    }
}
