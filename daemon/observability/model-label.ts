/** The model label value for any name outside the known set; keeps the series count bounded. */
export const OTHER_MODEL = 'other';
