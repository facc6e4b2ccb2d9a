namespace VoxCpm.Engine.Onnx;

/// <summary>
/// How the big projection matrices of the transformer stacks (base LM, residual LM, local encoder, local DiT) are stored.
/// Embeddings, norms, the small heads and the AudioVAE always stay float32.
/// </summary>
public enum WeightQuantization
{
    /// <summary>float32 weights: the reference numerics (parity).</summary>
    None,

    /// <summary>8-bit symmetric blocks of 32 weights along the input axis (com.microsoft MatMulNBits), int8 activations on CPU.</summary>
    Int8,

    /// <summary>4-bit symmetric blocks of 32 weights along the input axis (com.microsoft MatMulNBits), int8 activations on CPU.</summary>
    Int4,
}
