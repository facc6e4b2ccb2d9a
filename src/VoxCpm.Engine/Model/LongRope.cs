namespace VoxCpm.Engine.Model;

/// <summary>
/// MiniCPM LongRoPE cos/sin tables (model doc §3.1). The factor list is chosen once by comparing
/// max_position_embeddings with original_max_position_embeddings (not by the sequence length), the factors divide the
/// positions, and both tables are multiplied by sqrt(1 + ln(max/orig)/ln(orig)). Arithmetic mirrors the reference's
/// float32 steps so the tables agree to the last bit or so.
/// </summary>
internal static class LongRope
{
    /// <summary>
    /// Half-width tables <c>[rows, headDim/2]</c> (row p = position p); the full rotate-half tables repeat each row twice.
    /// </summary>
    public static (float[] Cos, float[] Sin) HalfTables(LmConfig lm, int headDim, int rows)
    {
        int half = headDim / 2;
        var invFreq = new float[half];
        for (int j = 0; j < half; j++)
        {
            float exponent = (2f * j) / headDim;
            invFreq[j] = 1f / (float)Math.Pow(lm.RopeTheta, exponent);
        }

        var inverseFactor = new float[half];
        float scaling = 1f;
        if (lm.RopeScaling is { } rope)
        {
            double[] factors = lm.MaxPositionEmbeddings > rope.OriginalMaxPositionEmbeddings ? rope.LongFactor : rope.ShortFactor;
            for (int j = 0; j < half; j++)
            {
                inverseFactor[j] = 1f / (float)factors[j];
            }

            double ratio = (double)lm.MaxPositionEmbeddings / rope.OriginalMaxPositionEmbeddings;
            scaling = (float)Math.Sqrt(1 + (Math.Log(ratio) / Math.Log(rope.OriginalMaxPositionEmbeddings)));
        }
        else
        {
            Array.Fill(inverseFactor, 1f);
        }

        var cos = new float[rows * half];
        var sin = new float[rows * half];
        for (int p = 0; p < rows; p++)
        {
            for (int j = 0; j < half; j++)
            {
                float angle = p * inverseFactor[j] * invFreq[j];
                cos[(p * half) + j] = (float)Math.Cos(angle) * scaling;
                sin[(p * half) + j] = (float)Math.Sin(angle) * scaling;
            }
        }

        return (cos, sin);
    }

    /// <summary>Tables of a stack without RoPE: cos 1, sin 0 (the rotation is the identity).</summary>
    public static (float[] Cos, float[] Sin) IdentityTables(int headDim, int rows)
    {
        var cos = new float[rows * (headDim / 2)];
        Array.Fill(cos, 1f);
        return (cos, new float[cos.Length]);
    }
}
