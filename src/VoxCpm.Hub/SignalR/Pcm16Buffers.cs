namespace VoxCpm.Hub.SignalR;

/// <summary>
/// The PCM16 payloads of audio stream items, reused. An item's bytes are lent until SignalR has written the item (it
/// serializes an item before it asks the stream for the next one), then come back here. Arrays are kept by exact
/// length, since a MessagePack or JSON payload is the whole array: a stream's chunks take a few lengths (one or two
/// patches of audio), and a length this pool does not keep is simply left to the collector.
/// </summary>
internal static class Pcm16Buffers
{
    private const int KeptLengths = 8;
    private const int KeptPerLength = 64;

    private static readonly Lock s_gate = new();
    private static readonly Dictionary<int, Stack<byte[]>> s_free = [];

    public static byte[] Rent(int length)
    {
        lock (s_gate)
        {
            if (s_free.TryGetValue(length, out var free) && free.TryPop(out var bytes))
            {
                return bytes;
            }
        }

        return new byte[length];
    }

    public static void Return(byte[] bytes)
    {
        lock (s_gate)
        {
            if (!s_free.TryGetValue(bytes.Length, out var free))
            {
                if (s_free.Count >= KeptLengths)
                {
                    return;
                }

                free = new Stack<byte[]>(KeptPerLength);
                s_free[bytes.Length] = free;
            }

            if (free.Count < KeptPerLength)
            {
                free.Push(bytes);
            }
        }
    }
}
