/** How many lines of start-up output fit on a terminal screen (a laptop terminal shows 30 to 40). */
export const ONE_SCREEN_LINES = 30;
