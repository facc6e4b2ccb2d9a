using System.Buffers.Binary;

namespace VoxCpm.Engine.Tests.Audio;

/// <summary>Builds WAV files of any layout for decoder tests (independently of the product's writer).</summary>
internal static class TestWav
{
    public static byte[] Build(ushort formatTag, int channels, int sampleRate, int bits, byte[] data, bool extensible = false, ushort extensibleSubFormat = 1, byte[]? extraChunk = null)
    {
        int blockAlign = channels * bits / 8;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8);
        w.Write(0u);
        w.Write("WAVE"u8);
        if (extraChunk is not null)
        {
            w.Write("LIST"u8);
            w.Write(extraChunk.Length);
            w.Write(extraChunk);
            if (extraChunk.Length % 2 == 1)
            {
                w.Write((byte)0);
            }
        }

        w.Write("fmt "u8);
        w.Write(extensible ? 40 : 16);
        w.Write(extensible ? (ushort)0xFFFE : formatTag);
        w.Write((ushort)channels);
        w.Write(sampleRate);
        w.Write(sampleRate * blockAlign);
        w.Write((ushort)blockAlign);
        w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)bits);
            w.Write(channels == 2 ? 3u : 4u);
            w.Write(extensibleSubFormat);
            w.Write(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }

        w.Write("data"u8);
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        byte[] bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Int16(params short[] values)
    {
        byte[] data = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * i), values[i]);
        }

        return data;
    }

    public static float[] Sine(int sampleRate, double frequency, double amplitude, int count, double phase = 0)
    {
        float[] x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)(amplitude * Math.Sin((2 * Math.PI * frequency * i / sampleRate) + phase));
        }

        return x;
    }
}
