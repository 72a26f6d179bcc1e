// A little vanilla JavaScript: no framework, no build step.
'use strict';

const form = document.getElementById('greeting-form');
const input = document.getElementById('greeting-name');
const output = document.getElementById('greeting');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = input.value.trim() || 'world';
  // textContent, never innerHTML: the name is user input.
  output.textContent = `Hello, ${name}!`;
});

const loadedAt = document.getElementById('loaded-at');
const now = new Date();
loadedAt.dateTime = now.toISOString();
loadedAt.textContent = now.toLocaleTimeString();
