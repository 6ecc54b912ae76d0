/** The app's own colour, used until an event is chosen (then the event's primaryColor takes over). */
export const APP_THEME_COLOR = '#1f3fae';
