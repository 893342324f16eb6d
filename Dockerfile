FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY pipeline ./pipeline
COPY workers ./workers
COPY storage ./storage
COPY api ./api
COPY bin ./bin
COPY samples ./samples
RUN mkdir -p /var/lib/sohoa && chown node:node /var/lib/sohoa
USER node
ENTRYPOINT ["node", "bin/sohoa.js"]
CMD ["start"]
