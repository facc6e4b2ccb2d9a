namespace VoxCpm.Engine.Checkpoints.Pickle;

/// <summary>
/// The pickle opcodes a <c>torch.save</c> state dict uses (protocol 2, plus the harmless protocol-4 framing ones).
/// Every other opcode is refused, in particular INST/OBJ/NEWOBJ (object construction), EXT* (extension registry)
/// and PERSID text ids.
/// </summary>
internal static class PickleOpcode
{
    public const byte Mark = (byte)'(';
    public const byte Stop = (byte)'.';
    public const byte BinInt = (byte)'J';
    public const byte BinInt1 = (byte)'K';
    public const byte BinInt2 = (byte)'M';
    public const byte None = (byte)'N';
    public const byte BinPersId = (byte)'Q';
    public const byte Reduce = (byte)'R';
    public const byte BinUnicode = (byte)'X';
    public const byte Append = (byte)'a';
    public const byte Build = (byte)'b';
    public const byte Global = (byte)'c';
    public const byte Appends = (byte)'e';
    public const byte BinGet = (byte)'h';
    public const byte LongBinGet = (byte)'j';
    public const byte EmptyList = (byte)']';
    public const byte BinPut = (byte)'q';
    public const byte LongBinPut = (byte)'r';
    public const byte SetItem = (byte)'s';
    public const byte Tuple = (byte)'t';
    public const byte EmptyTuple = (byte)')';
    public const byte SetItems = (byte)'u';
    public const byte BinFloat = (byte)'G';
    public const byte EmptyDict = (byte)'}';
    public const byte Proto = 0x80;
    public const byte NewTrue = 0x88;
    public const byte NewFalse = 0x89;
    public const byte Long1 = 0x8a;
    public const byte Tuple1 = 0x85;
    public const byte Tuple2 = 0x86;
    public const byte Tuple3 = 0x87;
    public const byte ShortBinUnicode = 0x8c;
    public const byte Memoize = 0x94;
    public const byte Frame = 0x95;
}
