using System.Globalization;
using System.Text.Json;

namespace VoxCpm.Hub.History;

/// <summary>
/// History events kept on disk, one JSON file each, named by a sequence number so that replay keeps their order.
/// Used only when the in-memory queue is full, or when the hub stops while the database is down; the writer
/// replays and deletes them once PostgreSQL answers, in this process or the next one.
/// </summary>
internal sealed class HistorySpill
{
    private const string Extension = ".json";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly string _directory;
    private long _sequence;

    public HistorySpill(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        // Ticks keep numbers increasing across restarts; a left-over higher number (clock moved back) wins.
        var highest = Files().Select(SequenceOf).DefaultIfEmpty(0).Max();
        _sequence = Math.Max(highest, DateTime.UtcNow.Ticks);
    }

    public string Folder => _directory;

    public bool HasPending => Files().Any();

    public void Append(HistoryEvent historyEvent)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var path = Path.Combine(_directory, sequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(historyEvent, s_json));
        // The rename makes a file appear whole or not at all, so a crash mid-write leaves no half event to replay.
        File.Move(temporary, path);
    }

    /// <summary>The oldest spilled events, in order, with the files to delete once they are written.</summary>
    public async Task<IReadOnlyList<(string Path, HistoryEvent Event)>> ReadOldestAsync(int count, CancellationToken cancellationToken)
    {
        var result = new List<(string, HistoryEvent)>(count);
        foreach (var path in Files().Order(StringComparer.Ordinal).Take(count))
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var historyEvent = JsonSerializer.Deserialize<HistoryEvent>(bytes, s_json)
                ?? throw new JsonException($"{path} holds no history event");
            result.Add((path, historyEvent));
        }

        return result;
    }

    public static void Delete(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }
    }

    private IEnumerable<string> Files() =>
        Directory.EnumerateFiles(_directory, "*" + Extension);

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
