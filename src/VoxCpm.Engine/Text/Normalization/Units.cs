namespace VoxCpm.Engine.Text.Normalization;

/// <summary>Unit symbols after a number and their English (singular, plural) and Chinese readings.</summary>
internal static class Units
{
    /// <summary>Alternation for a regex, longest symbols first so "km/h" wins over "km" and "min" over "m".</summary>
    public const string Alternation = "km/h|m/s|km²|cm²|m²|m³|kHz|MHz|GHz|mAh|km|cm|mm|kg|mg|ml|mL|lbs|lb|oz|mph|°C|°F|℃|Hz|KB|MB|GB|TB|kW|ft|mi|min|ms|sec|hrs|hr|m|g|L|W|V|s|h";

    public static (string Singular, string Plural, string Chinese) Lookup(string symbol) => symbol switch
    {
        "km/h" => ("kilometer per hour", "kilometers per hour", "千米每小时"),
        "m/s" => ("meter per second", "meters per second", "米每秒"),
        "km²" => ("square kilometer", "square kilometers", "平方千米"),
        "cm²" => ("square centimeter", "square centimeters", "平方厘米"),
        "m²" => ("square meter", "square meters", "平方米"),
        "m³" => ("cubic meter", "cubic meters", "立方米"),
        "kHz" => ("kilohertz", "kilohertz", "千赫兹"),
        "MHz" => ("megahertz", "megahertz", "兆赫兹"),
        "GHz" => ("gigahertz", "gigahertz", "吉赫兹"),
        "mAh" => ("milliamp hour", "milliamp hours", "毫安时"),
        "km" => ("kilometer", "kilometers", "千米"),
        "cm" => ("centimeter", "centimeters", "厘米"),
        "mm" => ("millimeter", "millimeters", "毫米"),
        "kg" => ("kilogram", "kilograms", "千克"),
        "mg" => ("milligram", "milligrams", "毫克"),
        "ml" or "mL" => ("milliliter", "milliliters", "毫升"),
        "lb" or "lbs" => ("pound", "pounds", "磅"),
        "oz" => ("ounce", "ounces", "盎司"),
        "mph" => ("mile per hour", "miles per hour", "英里每小时"),
        "°C" or "℃" => ("degree Celsius", "degrees Celsius", "摄氏度"),
        "°F" => ("degree Fahrenheit", "degrees Fahrenheit", "华氏度"),
        "Hz" => ("hertz", "hertz", "赫兹"),
        "KB" => ("kilobyte", "kilobytes", "千字节"),
        "MB" => ("megabyte", "megabytes", "兆字节"),
        "GB" => ("gigabyte", "gigabytes", "吉字节"),
        "TB" => ("terabyte", "terabytes", "太字节"),
        "kW" => ("kilowatt", "kilowatts", "千瓦"),
        "ft" => ("foot", "feet", "英尺"),
        "mi" => ("mile", "miles", "英里"),
        "min" => ("minute", "minutes", "分钟"),
        "ms" => ("millisecond", "milliseconds", "毫秒"),
        "sec" or "s" => ("second", "seconds", "秒"),
        "hr" or "hrs" or "h" => ("hour", "hours", "小时"),
        "m" => ("meter", "meters", "米"),
        "g" => ("gram", "grams", "克"),
        "L" => ("liter", "liters", "升"),
        "W" => ("watt", "watts", "瓦"),
        "V" => ("volt", "volts", "伏"),
        _ => (symbol, symbol, symbol),
    };
}
