using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace ConcurrencyAnalyzers.Runtime.Processes;

/// <summary>Appends the fields of a frame payload: fixed-size little-endian integers and length-prefixed UTF-8 strings.</summary>
internal ref struct PayloadWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public PayloadWriter(Span<byte> destination) => _destination = destination;

    public readonly int Position => _position;

    public static int StringSize(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_destination[_position..], value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[_position..], value);
        _position += 8;
    }

    public void WriteGuid(Guid value)
    {
        value.TryWriteBytes(_destination[_position..]);
        _position += 16;
    }

    /// <summary>A string as its UTF-8 byte count and bytes; <see langword="null"/> is written as length -1.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var length = Encoding.UTF8.GetBytes(value, _destination[(_position + 4)..]);
        WriteInt32(length);
        _position += length;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }
}

/// <summary>Reads the fields <see cref="PayloadWriter"/> wrote; a field that runs past the payload is a malformed frame.</summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> source) => _source = source;

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public Guid ReadGuid() => new(Take(16));

    public string? ReadString()
    {
        var length = ReadInt32();
        return length == -1 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public ReadOnlySpan<byte> ReadBytes() => Take(ReadInt32());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _source.Length - _position)
            throw new InvalidDataException($"Malformed frame: a field of {count} bytes runs past the {_source.Length}-byte payload.");
        var span = _source.Slice(_position, count);
        _position += count;
        return span;
    }
}
